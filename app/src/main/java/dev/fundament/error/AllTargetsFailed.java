package dev.fundament.error;

import java.util.List;

/**
 * Every target of a route failed. The caller sees the last failure's kind (the most recent answer
 * from an upstream), and the message lists each target's failure in order.
 */
public final class AllTargetsFailed {

    private AllTargetsFailed() {
    }

    /** One failed attempt: which target, and why. */
    public record Attempt(String target, GatewayException failure) {
    }

    public static GatewayException of(String model, List<Attempt> attempts) {
        if (attempts.size() == 1) {
            return attempts.getFirst().failure();
        }
        GatewayException last = attempts.getLast().failure();
        StringBuilder message = new StringBuilder("All ").append(attempts.size())
                .append(" targets of model '").append(model).append("' failed: ");
        for (int i = 0; i < attempts.size(); i++) {
            Attempt attempt = attempts.get(i);
            if (i > 0) {
                message.append("; ");
            }
            message.append(attempt.target()).append(": ").append(attempt.failure().getMessage());
        }
        return new GatewayException(last.kind(), message.toString(), last.param(), last.headers());
    }
}
