package dev.fundament.identity;

/** The key store could not be reached or refused an operation; callers answer 503. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
