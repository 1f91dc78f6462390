package dev.fundament.identity;

import java.util.Map;

/**
 * Something an administrator changed (a key created, rotated or revoked, a limit set, a subject's
 * data erased), fired as a CDI event by the service that did it, on the thread that did it. The
 * audit trail records it before the change is confirmed to the caller.
 *
 * @param action  a dotted name such as {@code key.create}
 * @param target  what it was done to: a key id, a limit subject, a data subject
 * @param details further facts; never a secret
 */
public record AdminAction(Principal actor, String action, String target, Map<String, String> details) {
}
