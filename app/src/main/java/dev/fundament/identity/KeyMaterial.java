package dev.fundament.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Making and hashing keys. A key is {@code fk-} and 40 random base-62 characters (about 238 bits), so
 * a plain SHA-256 of it is safe to store: there is nothing to guess a dictionary for. The prefix (the
 * first 12 characters) names a key in lists without revealing it.
 */
public final class KeyMaterial {

    static final String SCHEME = "fk-";
    static final int PREFIX_LENGTH = 12;
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterial() {
    }

    /** A freshly made key: {@code plaintext} is shown once and never stored. */
    public record NewKey(String plaintext, String prefix, String hash) {
        @Override
        public String toString() {
            return "NewKey[prefix=" + prefix + "]";
        }
    }

    public static NewKey generate() {
        StringBuilder key = new StringBuilder(SCHEME);
        for (int i = 0; i < 40; i++) {
            key.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return of(key.toString());
    }

    /** Wraps a key chosen elsewhere (the bootstrap key from the environment). */
    public static NewKey of(String plaintext) {
        return new NewKey(plaintext, prefix(plaintext), hash(plaintext));
    }

    public static String prefix(String plaintext) {
        return plaintext.substring(0, Math.min(PREFIX_LENGTH, plaintext.length()));
    }

    public static String hash(String plaintext) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two hashes in constant time. */
    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
