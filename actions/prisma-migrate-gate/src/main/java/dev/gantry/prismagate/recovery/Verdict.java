package dev.gantry.prismagate.recovery;

import java.util.List;

/**
 * What an unfinished migration row means, judged from the row, the file and the catalog: how much of it is in
 * the database, and the advice that reaches the intended end state without running any statement twice.
 * {@code remaining} are the statements (indexes) that did not run, when some did.
 */
public record Verdict(State state, String finding, String advice, List<Integer> remaining) {

    public enum State {
        /** All of it is in the database; only the bookkeeping is missing. */
        APPLIED,
        /** None of it is in the database: safe to run again. */
        NOT_APPLIED,
        /** Some statements committed, others did not. */
        PARTLY_APPLIED,
        /** A CONCURRENTLY index build was interrupted and left an INVALID index. */
        INTERRUPTED_INDEX,
        /** Another session holds Prisma's lock: it may still be running. */
        IN_PROGRESS,
        /** The catalog does not tell. */
        UNKNOWN
    }

    public String text() {
        return finding + " " + advice;
    }
}
