package dev.fundament.providers.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a server-sent-events byte stream fed in arbitrary pieces: a line, or a multi-byte UTF-8
 * character, may be split across network reads. Not thread-safe; one decoder per stream.
 *
 * <p>Follows the SSE rules that matter for model APIs: lines end in LF, CRLF or CR; {@code data:}
 * lines of one event are joined with LF; one space after the colon is dropped; comment lines
 * ({@code :}) are ignored; an empty line ends the event.
 */
public final class SseDecoder {

    private byte[] pending = new byte[0];
    private String event;
    private StringBuilder data;
    private boolean skipLf;

    /** @return the events completed by these bytes, in order */
    public List<SseEvent> feed(byte[] bytes) {
        List<SseEvent> out = new ArrayList<>(2);
        byte[] buf = pending.length == 0 ? bytes : concat(pending, bytes);
        int start = 0;
        for (int i = 0; i < buf.length; i++) {
            byte b = buf[i];
            if (skipLf) {
                skipLf = false;
                if (b == '\n') {
                    start = i + 1;
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                line(new String(buf, start, i - start, StandardCharsets.UTF_8), out);
                skipLf = b == '\r';
                start = i + 1;
            }
        }
        pending = start == buf.length ? new byte[0] : java.util.Arrays.copyOfRange(buf, start, buf.length);
        return out;
    }

    /** @return whether bytes of an unfinished event are held */
    public boolean hasPartialEvent() {
        return pending.length > 0 || data != null || event != null;
    }

    private void line(String line, List<SseEvent> out) {
        if (line.isEmpty()) {
            if (data != null) {
                out.add(new SseEvent(event, data.toString()));
            }
            event = null;
            data = null;
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "event" -> event = value;
            default -> { }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
