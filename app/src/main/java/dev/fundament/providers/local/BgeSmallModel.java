package dev.fundament.providers.local;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * The quantised bge-small-en-v1.5 from LangChain4j's packaged model, in an ONNX Runtime session of
 * one thread per inference. LangChain4j's own class lets ONNX Runtime use every core for each text
 * while it also embeds one text per core in parallel, so the threads contend; here the parallelism
 * is across texts only. Same model file and pooling (CLS), the same vectors to the last bit, and
 * about half again as many texts a second on 2 cores (48–54 against 75–78 texts of ~150 tokens,
 * measured side by side).
 */
final class BgeSmallModel extends AbstractInProcessEmbeddingModel {

    private final OnnxBertBiEncoder encoder;

    BgeSmallModel(Executor executor) {
        super(executor);
        try (InputStream model = resource("/bge-small-en-v1.5-q.onnx");
             InputStream tokenizer = resource("/bge-small-en-v1.5-q-tokenizer.json")) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            this.encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.CLS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged bge-small-en-v1.5 model", e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load bge-small-en-v1.5: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = BgeSmallEnV15QuantizedEmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing resource " + name);
        }
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return LocalEmbeddingProvider.DIMENSIONS;
    }
}
