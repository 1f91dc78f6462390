package dev.fundament.api;

import dev.fundament.error.Bounds;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: a caller's {@code x-request-id} is kept when it is short ({@link Bounds#REQUEST_ID}, the
 * narrowest column it is stored in) and printable ASCII (so it can join the caller's own logs);
 * otherwise a random 128-bit id is made.
 */
final class RequestIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    static String accept(String offered) {
        if (offered != null && !offered.isEmpty() && offered.length() <= Bounds.REQUEST_ID && printable(offered)) {
            return offered;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[32];
        long hi = random.nextLong();
        long lo = random.nextLong();
        for (int i = 0; i < 16; i++) {
            out[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xf];
            out[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xf];
        }
        return new String(out);
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
