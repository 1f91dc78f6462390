package dev.fundament.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.openai.OpenAiRequestReader;
import dev.fundament.inference.openai.OpenAiRequestWriter;
import dev.fundament.inference.openai.OpenAiResponseReader;
import dev.fundament.inference.openai.OpenAiResponseWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec work of one non-streamed request through Fundament: read the caller's request, write the
 * upstream request, read the upstream answer, write the caller's answer. A ~1.4 KB prompt, like the
 * load harness sends.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main CodecBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private byte[] request;
    private byte[] answer;

    @Setup
    public void setUp() {
        String prompt = "Summarise the following support ticket in two sentences. ".repeat(24);
        request = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are helpful.\"},"
                + "{\"role\":\"user\",\"content\":\"" + prompt + "\"}],\"temperature\":0.2,\"max_tokens\":200}")
                .getBytes(StandardCharsets.UTF_8);
        answer = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"The customer reports a fault "
                + "in the conveyor controller and asks for a technician visit next week.\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":310,\"completion_tokens\":24,"
                + "\"total_tokens\":334},\"system_fingerprint\":\"fp_1\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] requestPath() throws IOException {
        JsonNode node = JSON.readTree(request);
        ChatRequest parsed = OpenAiRequestReader.chat(node);
        return OpenAiRequestWriter.chat(parsed, "gpt-4o-mini", false);
    }

    @Benchmark
    public byte[] answerPath() throws IOException {
        ChatResult result = OpenAiResponseReader.result(answer);
        return OpenAiResponseWriter.result(result);
    }
}
