package dev.fundament.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit trail's keys: an Ed25519 key pair that signs checkpoints, and an AES-256 master key that
 * wraps each data subject's payload key. Both come from the configuration or, when not given, are
 * generated once and kept in the data directory, readable by the owner only. All encryption is
 * AES-256-GCM with a random 96-bit nonce, the nonce stored in front of the ciphertext.
 */
final class AuditKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final PrivateKey signing;
    private final String publicKey;
    private final byte[] master;

    AuditKeys(String signingKey, String payloadKey, Path dataDir) {
        try {
            KeyFactory ed = KeyFactory.getInstance("Ed25519");
            String pkcs8 = signingKey != null ? signingKey.strip() : stored(dataDir.resolve("audit-signing.key"), () -> {
                try {
                    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    return B64.encodeToString(pair.getPrivate().getEncoded());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
            this.signing = ed.generatePrivate(new PKCS8EncodedKeySpec(B64D.decode(pkcs8)));
            this.publicKey = B64.encodeToString(publicOf(pkcs8).getEncoded());
            byte[] probe = "fundament".getBytes(StandardCharsets.UTF_8);
            if (!verify(publicKey, probe, sign(probe))) {
                throw new IllegalArgumentException("audit.signing_key is not an Ed25519 private key in PKCS#8");
            }
            String masterText = payloadKey != null ? payloadKey.strip() : stored(dataDir.resolve("audit-payload.key"), () -> {
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                return B64.encodeToString(key);
            });
            this.master = B64D.decode(masterText);
            if (master.length != 32) {
                throw new IllegalArgumentException("audit.payload_key must be 32 bytes, base64-encoded");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the audit keys", e);
        }
    }

    /** The public half, derived by signing nothing: Ed25519 private keys in PKCS#8 carry no public key in the JDK. */
    private static PublicKey publicOf(String pkcs8) throws GeneralSecurityException {
        byte[] encoded = B64D.decode(pkcs8);
        byte[] seed = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        // Recreate the pair deterministically from the seed via the JDK's provider.
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(255, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(bytes.length, seed.length));
            }
        });
        return g.generateKeyPair().getPublic();
    }

    private interface Generator {
        String get();
    }

    private static String stored(Path file, Generator generator) {
        try {
            if (Files.isReadable(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(file.getParent());
            String value = generator.get();
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, value + "\n");
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep an audit key in " + file, e);
        }
    }

    String publicKey() {
        return publicKey;
    }

    String sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(signing);
            s.update(data);
            return B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a checkpoint", e);
        }
    }

    static boolean verify(String publicKey, byte[] data, String signature) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(B64D.decode(publicKey)));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(B64D.decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** @return a new subject key, wrapped under the master key */
    String newSubjectKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return encrypt(master, key, "subject-key".getBytes(StandardCharsets.UTF_8));
    }

    String encryptPayload(String wrappedSubjectKey, String recordId, String plaintext) {
        byte[] key = decrypt(master, wrappedSubjectKey, "subject-key".getBytes(StandardCharsets.UTF_8));
        return encrypt(key, plaintext.getBytes(StandardCharsets.UTF_8), recordId.getBytes(StandardCharsets.UTF_8));
    }

    String decryptPayload(String wrappedSubjectKey, String recordId, String ciphertext) {
        byte[] key = decrypt(master, wrappedSubjectKey, "subject-key".getBytes(StandardCharsets.UTF_8));
        return new String(decrypt(key, ciphertext, recordId.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static String encrypt(byte[] key, byte[] plaintext, byte[] aad) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            byte[] sealed = c.doFinal(plaintext);
            return B64.encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt an audit payload", e);
        }
    }

    private static byte[] decrypt(byte[] key, String text, byte[] aad) {
        try {
            byte[] all = B64D.decode(text);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, all, 0, 12));
            c.updateAAD(aad);
            return c.doFinal(all, 12, all.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt an audit payload", e);
        }
    }
}
