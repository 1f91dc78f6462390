package dev.fundament.guardrails;

import dev.fundament.guardrails.detect.AddressDetector;
import dev.fundament.guardrails.detect.CardDetector;
import dev.fundament.guardrails.detect.DateOfBirthDetector;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.EmailDetector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.guardrails.detect.IbanDetector;
import dev.fundament.guardrails.detect.InjectionClassifier;
import dev.fundament.guardrails.detect.IpAddressDetector;
import dev.fundament.guardrails.detect.NationalIdDetector;
import dev.fundament.guardrails.detect.PersonDetector;
import dev.fundament.guardrails.detect.PhoneDetector;
import dev.fundament.guardrails.detect.SecretDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of each detector over 64 KiB of business text: {@code dense} repeats a paragraph with
 * eight personal values in 470 characters (a worst case), {@code typical} puts one such paragraph in
 * about 2 KB of ordinary prose. The score is microseconds per 64 KiB: MB/s per core = 65.536 / score.
 *
 * <pre>
 * ./mvnw -q -pl app,bench package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main DetectorThroughputBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DetectorThroughputBenchmark {

    @Param({"email", "phone", "iban", "credit_card", "ip_address", "date_of_birth", "address", "national_id", "person",
        "secret", "prompt_injection"})
    public String detector;

    @Param({"dense", "typical"})
    public String text_kind;

    static final String PROSE = "Thank you for the update on the project. As discussed in our last meeting, the team will "
            + "focus on the migration of the reporting tools before the end of the quarter. We expect the first results "
            + "in two weeks and will share a short summary with all stakeholders. Please review the attached plan and let "
            + "us know if any of the milestones need to move. The budget remains unchanged, and the steering group meets "
            + "again next month to decide on the second phase. If you have questions about the scope, the timeline or the "
            + "resources, contact the project office. We appreciate the support of every department in this effort. ";

    private Detector single;
    private String text;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder();
        while (b.length() < 65536) {
            b.append(InputStageBenchmark.PARAGRAPH);
            if (text_kind.equals("typical")) {
                b.append(PROSE.repeat(3));
            }
        }
        text = b.substring(0, 65536);
        single = switch (detector) {
            case "email" -> new EmailDetector();
            case "phone" -> new PhoneDetector();
            case "iban" -> new IbanDetector();
            case "credit_card" -> new CardDetector();
            case "ip_address" -> new IpAddressDetector();
            case "date_of_birth" -> new DateOfBirthDetector();
            case "address" -> new AddressDetector();
            case "national_id" -> new NationalIdDetector();
            case "person" -> new PersonDetector();
            case "secret" -> new SecretDetector();
            default -> InjectionClassifier.bundled();
        };
    }

    @Benchmark
    public List<Finding> scan() {
        List<Finding> out = new ArrayList<>();
        single.detect(text, out);
        return out;
    }
}
