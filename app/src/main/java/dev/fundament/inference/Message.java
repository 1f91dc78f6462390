package dev.fundament.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One chat message.
 *
 * @param content    the parts; a plain string message is one {@link ContentPart.Text}; empty when the
 *                   message has no content (an assistant message with only tool calls)
 * @param textOnly   true when the content arrived as a plain string, so it is written back as one
 * @param name       optional participant name
 * @param toolCalls  tool calls made by an assistant message, empty otherwise
 * @param toolCallId for a {@link Role#TOOL} message, the call it answers
 * @param extensions fields of the message Fundament does not model, forwarded untouched
 */
public record Message(Role role, List<ContentPart> content, boolean textOnly, String name,
                      List<ToolCall> toolCalls, String toolCallId, Map<String, JsonNode> extensions) {

    public Message {
        content = List.copyOf(content);
        toolCalls = List.copyOf(toolCalls);
        extensions = Map.copyOf(extensions);
    }

    public static Message text(Role role, String text) {
        return new Message(role, List.of(new ContentPart.Text(text)), true, null, List.of(), null, Map.of());
    }

    /** @return this message with other content parts, everything else unchanged */
    public Message withContent(List<ContentPart> parts) {
        return new Message(role, parts, textOnly, name, toolCalls, toolCallId, extensions);
    }

    /** @return all text parts joined by newlines, or the empty string */
    public String text() {
        if (content.size() == 1 && content.getFirst() instanceof ContentPart.Text t) {
            return t.text();
        }
        StringBuilder out = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text t) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(t.text());
            }
        }
        return out.toString();
    }
}
