package dev.gantry.common.action;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a {@code ::error::}, {@code ::warning::} or {@code ::notice::} annotation points. Mirrors
 * {@code AnnotationProperties} of {@code @actions/core}: every field is optional.
 */
public record Annotation(String title, String file, Integer line, Integer endLine, Integer column, Integer endColumn) {

    public static final Annotation NONE = new Annotation(null, null, null, null, null, null);

    public static Annotation titled(String title) {
        return new Annotation(title, null, null, null, null, null);
    }

    public static Annotation at(String file, int line) {
        return new Annotation(null, file, line, null, null, null);
    }

    public Annotation withTitle(String newTitle) {
        return new Annotation(newTitle, file, line, endLine, column, endColumn);
    }

    /** The properties in the order and with the names the runner reads ({@code col}, not {@code column}). */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (title != null) p.put("title", title);
        if (file != null) p.put("file", file);
        if (line != null) p.put("line", line.toString());
        if (endLine != null) p.put("endLine", endLine.toString());
        if (column != null) p.put("col", column.toString());
        if (endColumn != null) p.put("endColumn", endColumn.toString());
        return p;
    }
}
