package dev.fundament.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Binds a YAML tree to {@code *Spec} records, collecting every problem instead of stopping at the first.
 *
 * <p>YAML keys are the snake_case form of record component names ({@code max_body_size} binds
 * {@code maxBodySize}). Unknown keys, wrong types and missing {@link Required} keys are problems; a
 * missing optional key binds {@code null} and the record's compact constructor supplies the default,
 * so every default is declared exactly once. Maps keep the YAML order.
 */
final class SpecBinder {

    private final List<ConfigProblem> problems;

    SpecBinder(List<ConfigProblem> problems) {
        this.problems = problems;
    }

    <T> T bind(JsonNode node, Class<T> type) {
        return type.cast(value(node, type, ""));
    }

    private Object value(JsonNode node, Type type, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            Type[] args = generic.getActualTypeArguments();
            if (raw == List.class) {
                return list(node, args[0], path);
            }
            if (raw == Map.class) {
                return map(node, args[1], path);
            }
        }
        Class<?> cls = (Class<?>) type;
        if (cls.isRecord() && cls != DataSize.class) {
            return record(node, cls, path);
        }
        if (!node.isValueNode()) {
            return problem(path, "expected " + describe(cls) + ", found " + (node.isArray() ? "a list" : "a mapping"));
        }
        String text = node.asText();
        if (cls == String.class) {
            return text;
        }
        if (cls == Integer.class) {
            return node.canConvertToInt() && node.isIntegralNumber() ? node.intValue()
                    : problem(path, "expected a whole number, found '" + text + "'");
        }
        if (cls == Boolean.class) {
            return node.isBoolean() ? node.booleanValue() : problem(path, "expected true or false, found '" + text + "'");
        }
        if (cls == Double.class) {
            return node.isNumber() ? node.doubleValue() : problem(path, "expected a number, found '" + text + "'");
        }
        if (cls == Duration.class) {
            Duration d = Durations.parse(text);
            return d != null ? d : problem(path, "expected a duration such as 250ms, 5s, 2m or 1h, found '" + text + "'");
        }
        if (cls == DataSize.class) {
            DataSize s = DataSize.parse(text);
            return s != null ? s : problem(path, "expected a size such as 512KiB or 4MiB, found '" + text + "'");
        }
        if (cls.isEnum()) {
            return enumValue(cls, text, path);
        }
        throw new IllegalStateException("no binding for " + cls);
    }

    private Object record(JsonNode node, Class<?> cls, String path) {
        if (!node.isObject()) {
            return problem(path, "expected a mapping with keys " + keys(cls) + ", found '" + node.asText() + "'");
        }
        RecordComponent[] components = cls.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            byKey.put(snake(c.getName()), c);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!byKey.containsKey(key)) {
                problems.add(new ConfigProblem(join(path, key), "unknown key; allowed here: " + keys(cls)));
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean complete = true;
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = snake(c.getName());
            types[i] = c.getType();
            JsonNode child = node.get(key);
            if ((child == null || child.isNull()) && c.isAnnotationPresent(Required.class)) {
                problems.add(new ConfigProblem(join(path, key), "required key is missing"));
                complete = false;
                continue;
            }
            int before = problems.size();
            args[i] = value(child, c.getGenericType(), join(path, key));
            complete &= problems.size() == before;
        }
        try {
            Constructor<?> constructor = cls.getDeclaredConstructor(types);
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            if (complete) {
                throw new IllegalStateException("cannot build " + cls.getSimpleName(), e);
            }
            return null;
        }
    }

    private List<Object> list(JsonNode node, Type element, String path) {
        if (!node.isArray()) {
            problem(path, "expected a list, found " + (node.isObject() ? "a mapping" : "'" + node.asText() + "'"));
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String itemPath = path + "[" + i + "]";
            Object item = node.get(i).isNull() ? problem(itemPath, "an empty list item; give it a value or remove it")
                    : value(node.get(i), element, itemPath);
            if (item != null) { // an item that did not bind was reported; the validator never sees a null
                out.add(item);
            }
        }
        return out;
    }

    private Map<String, Object> map(JsonNode node, Type valueType, String path) {
        if (!node.isObject()) {
            problem(path, "expected a mapping, found " + (node.isArray() ? "a list" : "'" + node.asText() + "'"));
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            String entryPath = join(path, e.getKey());
            Object v = e.getValue().isNull() ? problem(entryPath, "no value; give one or remove the key")
                    : value(e.getValue(), valueType, entryPath);
            if (v != null) { // an entry that did not bind was reported; the validator never sees a null
                out.put(e.getKey(), v);
            }
        });
        return out;
    }

    private Object enumValue(Class<?> cls, String text, String path) {
        StringJoiner allowed = new StringJoiner(", ");
        for (Object constant : cls.getEnumConstants()) {
            String wire = constant instanceof WireName w ? w.wire() : constant.toString().toLowerCase();
            if (wire.equals(text)) {
                return constant;
            }
            allowed.add(wire);
        }
        return problem(path, "unknown value '" + text + "'; expected one of: " + allowed);
    }

    private Object problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
        return null;
    }

    private static String keys(Class<?> cls) {
        StringJoiner out = new StringJoiner(", ");
        for (RecordComponent c : cls.getRecordComponents()) {
            out.add(snake(c.getName()));
        }
        return out.toString();
    }

    private static String describe(Class<?> cls) {
        if (cls == String.class) {
            return "a string";
        }
        return cls.isEnum() ? "one of the allowed names" : "a single value";
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String snake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                out.append('_').append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
