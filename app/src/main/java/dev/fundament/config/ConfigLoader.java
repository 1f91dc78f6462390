package dev.fundament.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads {@code fundament.yaml}: parse, bind, validate and resolve, or fail with every problem.
 *
 * <p>Without a file, {@link DefaultConfig} builds one from the environment, so {@code ./fundament serve}
 * runs with nothing configured. A provider named {@code local} (the in-process models) is added to every
 * configuration that does not define one.
 */
public final class ConfigLoader {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigLoader() {
    }

    /** @throws ConfigException naming every problem, each by its YAML path */
    public static LoadedConfig load(Path file, Map<String, String> env) {
        if (file == null) {
            return compile(DefaultConfig.tree(env), "built-in defaults", env);
        }
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(source, List.of(new ConfigProblem("", "file not found: " + file.toAbsolutePath())));
        }
        try {
            return loadYaml(Files.readString(file, StandardCharsets.UTF_8), source, env);
        } catch (IOException e) {
            throw new ConfigException(source, List.of(new ConfigProblem("", "cannot read: " + e.getMessage())));
        }
    }

    public static LoadedConfig loadYaml(String yaml, String source, Map<String, String> env) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() != null
                    ? "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " : "";
            throw new ConfigException(source, List.of(new ConfigProblem("", "not valid YAML: " + where + e.getOriginalMessage())));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException(source, List.of(new ConfigProblem("", "the file must be a mapping with keys server, storage, identity, limits, budgets, pricing, roi, guardrails, audit, providers, models, collections")));
        }
        return compile((ObjectNode) tree, source, env);
    }

    private static LoadedConfig compile(ObjectNode tree, String source, Map<String, String> env) {
        JsonNode providers = tree.get("providers");
        if (providers == null || providers.isNull()) {
            providers = tree.putObject("providers");
        }
        if (providers.isObject() && !providers.has("local")) {
            ((ObjectNode) providers).putObject("local").put("type", "local");
        }
        List<ConfigProblem> problems = new ArrayList<>();
        FundamentSpec spec = new SpecBinder(problems).bind(tree, FundamentSpec.class);
        Map<String, String> secrets = Map.of();
        if (spec != null) {
            secrets = new ConfigValidator(problems, env).validate(spec);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new LoadedConfig(spec, source, hash(tree), secrets);
    }

    /**
     * Binds and validates one collection's settings, given in fundament.yaml's shape (as the admin
     * API receives them), against the running configuration (teams, secrets).
     *
     * @throws ConfigException with every problem, by path under {@code collections.<name>}
     */
    public static CollectionSettings collection(String name, JsonNode node, FundamentSpec running, Map<String, String> env) {
        List<ConfigProblem> problems = new ArrayList<>();
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.putObject("collections").set(name, node);
        FundamentSpec bound = new SpecBinder(problems).bind(wrapper, FundamentSpec.class);
        if (bound != null && problems.isEmpty()) {
            FundamentSpec check = new FundamentSpec(running.server(), running.storage(), running.identity(), running.limits(),
                    running.budgets(), running.pricing(), running.roi(), running.guardrails(), running.audit(), running.providers(),
                    running.models(), bound.collections());
            List<ConfigProblem> all = new ArrayList<>();
            Map<String, String> secrets = new ConfigValidator(all, env).validate(check);
            all.stream().filter(p -> p.path().startsWith("collections.")).forEach(problems::add);
            if (problems.isEmpty()) {
                Map<String, String> own = new java.util.HashMap<>();
                secrets.forEach((path, value) -> {
                    if (path.startsWith("collections." + name + ".")) {
                        own.put(path, value);
                    }
                });
                return new CollectionSettings(bound.collections().get(name), own);
            }
        }
        throw new ConfigException("collection " + name, problems);
    }

    /**
     * One collection's bound settings.
     *
     * @param secrets resolved secret references by YAML path ({@code collections.crm.sources[0].password})
     */
    public record CollectionSettings(CollectionSpec spec, Map<String, String> secrets) {
    }

    static String hash(JsonNode tree) {
        try {
            byte[] canonical = JSON.writeValueAsBytes(canonical(tree));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash configuration", e);
        }
    }

    private static Object canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            return sorted;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(n -> items.add(canonical(n)));
            return items;
        }
        return node;
    }
}
