/**
 * In-process models: bge-small-en-v1.5 (quantized ONNX, 384 dimensions) for embeddings, served with
 * no network and no service. Entry point: {@link dev.fundament.providers.local.LocalProviderFactory};
 * every configuration has a provider named {@code local} of this type, so the model is listed in
 * {@code /v1/models} as {@code local/bge-small-en-v1.5}.
 */
package dev.fundament.providers.local;
