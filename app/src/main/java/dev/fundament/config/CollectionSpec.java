package dev.fundament.config;

import java.util.List;

/**
 * A collection: one of the company's data products, searchable and answerable through the API.
 *
 * @param description    what it holds, shown in lists
 * @param owner          the team that owns it; its team admins manage it
 * @param readers        who may read its documents unless a document says otherwise: {@code public},
 *                       {@code team:<id>}, {@code group:<name>}, {@code user:<id>}; default the owner team
 * @param embeddingModel the embedding model for its chunks and queries; default the in-process
 *                       {@code local/bge-small-en-v1.5}
 * @param queryPrefix    text put before a query before it is embedded (instruction-tuned models want
 *                       one); default the bge retrieval instruction for bge models, none otherwise
 * @param answerModel    the chat model that answers {@code rag/<collection>} questions; default the
 *                       in-process {@code local/extractive}, which quotes the best passages
 * @param passages       how many passages an answer is given; default 5
 * @param languages      text analyses for keyword search: {@code en}, {@code de}; default both
 * @param pii            personal data handling before anything is indexed; default none
 * @param chunking       how documents are cut into chunks
 * @param sources        where its documents come from
 */
public record CollectionSpec(String description, @Required String owner, List<String> readers, String embeddingModel,
                             String queryPrefix, String answerModel, Integer passages, List<String> languages,
                             PiiSpec pii, ChunkingSpec chunking, List<SourceSpec> sources) {

    public static final String DEFAULT_EMBEDDING_MODEL = "local/bge-small-en-v1.5";
    public static final String DEFAULT_ANSWER_MODEL = "local/extractive";
    static final String BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";

    public CollectionSpec {
        description = description != null ? description : "";
        readers = readers != null ? readers : owner != null ? List.of("team:" + owner) : List.of();
        embeddingModel = embeddingModel != null ? embeddingModel : DEFAULT_EMBEDDING_MODEL;
        queryPrefix = queryPrefix != null ? queryPrefix : embeddingModel.contains("bge-") ? BGE_QUERY_PREFIX : "";
        answerModel = answerModel != null ? answerModel : DEFAULT_ANSWER_MODEL;
        passages = passages != null ? passages : 5;
        languages = languages != null ? languages : List.of("en", "de");
        pii = pii != null ? pii : PiiSpec.NONE;
        chunking = chunking != null ? chunking : ChunkingSpec.DEFAULTS;
        sources = sources != null ? sources : List.of();
    }

    /**
     * What happens to personal data in a collection's documents before they are indexed.
     *
     * @param action    {@code none} (default), {@code redact} (replaced by a placeholder such as
     *                  {@code [EMAIL]}), {@code block} (the document is not indexed and is recorded as
     *                  failed), {@code flag} (indexed as is; counted in the document's record)
     * @param detect    categories as for guardrails; default {@code personal_data}
     * @param threshold findings below this confidence are ignored; default 0.5
     */
    public record PiiSpec(PiiAction action, List<String> detect, Double threshold) {
        public static final PiiSpec NONE = new PiiSpec(null, null, null);

        public PiiSpec {
            action = action != null ? action : PiiAction.NONE;
            detect = detect != null ? detect : List.of("personal_data");
            threshold = threshold != null ? threshold : 0.5;
        }
    }

    /** What to do with personal data found in a document. */
    public enum PiiAction implements WireName {
        NONE("none"), REDACT("redact"), BLOCK("block"), FLAG("flag");

        private final String wire;

        PiiAction(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    /**
     * How documents are cut: along headings, paragraphs and table rows, into pieces of at most
     * {@code max_tokens}; a table keeps its header row in every piece, a section its heading path.
     *
     * @param maxTokens     the most tokens a chunk holds; default 256 (the embedding model reads 512)
     * @param overlapTokens tokens repeated from the end of the previous chunk when a long paragraph is
     *                      split; default 32
     */
    public record ChunkingSpec(Integer maxTokens, Integer overlapTokens) {
        public static final ChunkingSpec DEFAULTS = new ChunkingSpec(null, null);

        public ChunkingSpec {
            maxTokens = maxTokens != null ? maxTokens : 256;
            overlapTokens = overlapTokens != null ? overlapTokens : 32;
        }
    }
}
