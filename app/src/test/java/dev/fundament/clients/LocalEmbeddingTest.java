package dev.fundament.clients;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-process bge-small-en-v1.5 model: real embeddings with no network. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class LocalEmbeddingTest {

    private static final String MODEL = "local/bge-small-en-v1.5";

    @BeforeEach
    void waitUntilLoaded() {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (given().when().get("/q/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).as("model loaded within two minutes").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }

    @Test
    void listedInModels() {
        List<String> ids = given().when().get("/v1/models").then().statusCode(200).extract().path("data.id");
        assertThat(ids).contains(MODEL, "gpt-sim", "embed-sim");
        given().when().get("/v1/models/" + MODEL).then().statusCode(200).body("id", equalTo(MODEL))
                .body("owned_by", equalTo("local"));
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        JsonPath json = given().contentType("application/json").body("""
                {"model": "%s", "input": [
                  "The invoice must be paid within thirty days.",
                  "Payment of the bill is due in 30 days.",
                  "Penguins live in the southern hemisphere."]}""".formatted(MODEL))
                .when().post("/v1/embeddings").then().statusCode(200)
                .body("object", equalTo("list")).body("model", equalTo(MODEL)).extract().jsonPath();
        float[] a = floats(json.getList("data[0].embedding", Float.class));
        float[] b = floats(json.getList("data[1].embedding", Float.class));
        float[] c = floats(json.getList("data[2].embedding", Float.class));
        assertThat(a).hasSize(384);
        assertThat(cosine(a, b)).as("paraphrases").isGreaterThan(cosine(a, c) + 0.2);
        assertThat(json.getInt("usage.prompt_tokens")).isPositive();
    }

    @Test
    void base64EncodingCarriesTheSameVector() {
        String body = "{\"model\":\"" + MODEL + "\",\"input\":\"Fundament\",\"encoding_format\":\"%s\"}";
        List<Float> floats = given().contentType("application/json").body(body.formatted("float"))
                .when().post("/v1/embeddings").then().statusCode(200).extract().jsonPath().getList("data[0].embedding", Float.class);
        String base64 = given().contentType("application/json").body(body.formatted("base64"))
                .when().post("/v1/embeddings").then().statusCode(200).extract().path("data[0].embedding");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(decoded);
        assertThat(decoded).containsExactly(floats(floats));
    }

    @Test
    void unsupportedDimensionsAreRefused() {
        given().contentType("application/json").body("{\"model\":\"" + MODEL + "\",\"input\":\"x\",\"dimensions\":128}")
                .when().post("/v1/embeddings").then().statusCode(400)
                .body("error.code", equalTo("unsupported_parameter")).body("error.param", equalTo("dimensions"));
    }

    private static float[] floats(List<Float> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static double cosine(float[] x, float[] y) {
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }
}
