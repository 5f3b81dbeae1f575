package dev.gantry.checks;

/**
 * A checks file that cannot be used: names the file, the line and column (1-based) and what is wrong, so the
 * message reads like a compiler error: {@code checks.yml:12:7: unknown key 'expcet' in check 'login'}.
 */
public final class CheckFileException extends RuntimeException {
    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    public CheckFileException(String source, int line, int column, String problem) {
        super(source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The file (or {@code <inline>}) the checks came from. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }
}
