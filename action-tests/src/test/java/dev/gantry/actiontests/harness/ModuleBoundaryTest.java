package dev.gantry.actiontests.harness;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN's module rule, read from the poms: no action module depends on another action module (what two actions
 * share lives under {@code common/}), and nothing under {@code common/} depends on an action. Only action-tests,
 * which runs every action, may depend on them.
 */
class ModuleBoundaryTest {

    /** artifactId → the artifactIds of its {@code dev.gantry} dependencies (any scope, any type). */
    static Map<String, List<String>> gantryDependencies(Stream<Path> poms) {
        Map<String, List<String>> out = new TreeMap<>();
        poms.forEach(pom -> {
            Document doc = xml(pom);
            Element project = doc.getDocumentElement();
            List<String> deps = new ArrayList<>();
            NodeList list = project.getElementsByTagName("dependency");
            for (int i = 0; i < list.getLength(); i++) {
                Element dep = (Element) list.item(i);
                // a parent's dependencyManagement only pins versions; it is not a dependency of the module
                if (dep.getParentNode().getParentNode().getNodeName().equals("dependencyManagement")) continue;
                if ("dev.gantry".equals(child(dep, "groupId"))) deps.add(child(dep, "artifactId"));
            }
            out.put(child(project, "artifactId"), deps);
        });
        return out;
    }

    /** The violations: "a → b" for each action (or common module) that depends on an action. */
    static List<String> violations(Map<String, List<String>> actionModules, Map<String, List<String>> commonModules) {
        Set<String> actions = actionModules.keySet();
        List<String> out = new ArrayList<>();
        Map<String, List<String>> all = new TreeMap<>(actionModules);
        all.putAll(commonModules);
        all.forEach((module, deps) -> deps.stream().filter(actions::contains).map(d -> module + " → " + d).forEach(out::add));
        return out;
    }

    @Test
    void noActionModuleDependsOnAnotherActionModule() throws Exception {
        Map<String, List<String>> actions;
        try (Stream<Path> dirs = Files.list(Project.root().resolve("actions"))) {
            actions = gantryDependencies(dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).toList().stream());
        }
        Map<String, List<String>> common;
        try (Stream<Path> found = Files.walk(Project.root().resolve("common"), 3)) {
            common = gantryDependencies(found.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("/target/")).toList().stream());
        }
        assertThat(actions.keySet()).as("every action is a module").containsExactlyInAnyOrderElementsOf(Project.actionNames());
        assertThat(common).as("common and the libraries under it").containsKeys("gantry-common", "gantry-checks");
        assertThat(actions.get("smoke-test")).as("the check engine is a library").contains("gantry-checks");
        assertThat(actions.get("rollback")).contains("gantry-checks");
        assertThat(violations(actions, common)).isEmpty();
    }

    @Test
    void theRuleCatchesAnActionThatDependsOnAnother(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.xml"), pom("rollback", "gantry-common", "smoke-test"));
        Path b = Files.writeString(dir.resolve("b.xml"), pom("smoke-test", "gantry-common"));
        Path c = Files.writeString(dir.resolve("c.xml"), pom("gantry-checks", "smoke-test"));
        assertThat(violations(gantryDependencies(Stream.of(a, b)), gantryDependencies(Stream.of(c))))
                .containsExactlyInAnyOrder("rollback → smoke-test", "gantry-checks → smoke-test");
    }

    private static String pom(String artifactId, String... deps) {
        StringBuilder b = new StringBuilder("<project><groupId>dev.gantry</groupId><artifactId>" + artifactId
                + "</artifactId><dependencies>");
        for (String d : deps) {
            b.append("<dependency><groupId>dev.gantry</groupId><artifactId>").append(d).append("</artifactId></dependency>");
        }
        return b.append("</dependencies></project>").toString();
    }

    private static Document xml(Path pom) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readString(pom).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    /** The text of a direct child element (not of a nested one, as the parent's artifactId would be). */
    private static String child(Element e, String name) {
        for (var n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) return c.getTextContent().trim();
        }
        return null;
    }
}
