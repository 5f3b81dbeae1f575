package dev.gantry.prismagate.recovery;

import dev.gantry.prismagate.sql.Name;

/** Something the catalog can answer about the schema: an object exists, a column is NOT NULL, an enum has a value. */
public sealed interface Fact {
    /** How the fact reads in a message. */
    String describe();

    record Table(Name table) implements Fact {
        public String describe() {
            return "table " + table.display();
        }
    }

    record Column(Name table, String column) implements Fact {
        public String describe() {
            return "column " + table.display() + "." + column;
        }
    }

    record NotNull(Name table, String column) implements Fact {
        public String describe() {
            return "NOT NULL on " + table.display() + "." + column;
        }
    }

    /** A (valid) index; the catalog may also show it INVALID, left by an interrupted CONCURRENTLY build. */
    record Index(Name index) implements Fact {
        public String describe() {
            return "index " + index.display();
        }
    }

    record Constraint(Name table, String name) implements Fact {
        public String describe() {
            return "constraint " + name + " on " + table.display();
        }
    }

    record Type(Name type) implements Fact {
        public String describe() {
            return "type " + type.display();
        }
    }

    record Label(Name type, String label) implements Fact {
        public String describe() {
            return "value '" + label + "' of enum " + type.display();
        }
    }
}
