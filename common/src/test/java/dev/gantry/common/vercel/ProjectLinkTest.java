package dev.gantry.common.vercel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectLinkTest {
    @TempDir
    Path ws;

    private void write(String rel, String text) throws IOException {
        Path p = ws.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void aFoldersOwnProjectJsonIsTheLink() throws IOException {
        write("apps/web/.vercel/project.json", "{\"projectId\":\"prj_web\",\"orgId\":\"team_acme\"}");
        ProjectLink l = ProjectLink.find(ws.resolve("apps/web"), ws).orElseThrow();
        assertThat(l.projectId()).isEqualTo("prj_web");
        assertThat(l.teamId()).isEqualTo("team_acme");
        assertThat(l.source()).isEqualTo("apps/web/.vercel/project.json");
    }

    @Test
    void userOwnersArePersonalAccountsWithoutATeamId() throws IOException {
        for (String org : new String[]{"usr_abc", "user_abc", "AbCdEf123", ""}) {
            write(".vercel/project.json", "{\"projectId\":\"prj_1\",\"orgId\":\"" + org + "\"}");
            assertThat(ProjectLink.find(ws, ws).orElseThrow().teamId()).as(org).isNull();
        }
    }

    @Test
    void aMonorepoLinkedWithRepoJsonFindsTheProjectOfTheFolder() throws IOException {
        write(".vercel/repo.json", """
                {"orgId":"team_old","remoteName":"origin","projects":[
                  {"id":"prj_crm","name":"crm-dashboard","directory":"apps/crm-dashboard","orgId":"team_acme"},
                  {"id":"prj_site","name":"marketing-site","directory":"./apps/marketing-site/"}]}""");
        Files.createDirectories(ws.resolve("apps/crm-dashboard/src"));
        Files.createDirectories(ws.resolve("apps/marketing-site"));
        ProjectLink crm = ProjectLink.find(ws.resolve("apps/crm-dashboard"), ws).orElseThrow();
        assertThat(crm.projectId()).isEqualTo("prj_crm");
        assertThat(crm.teamId()).isEqualTo("team_acme");
        assertThat(crm.source()).isEqualTo(".vercel/repo.json");
        ProjectLink site = ProjectLink.find(ws.resolve("apps/marketing-site"), ws).orElseThrow();
        assertThat(site.projectId()).isEqualTo("prj_site");
        assertThat(site.teamId()).as("the top-level orgId of older repo.json files").isEqualTo("team_old");
        assertThat(ProjectLink.find(ws.resolve("apps/crm-dashboard/src"), ws)).isEmpty();
        assertThat(ProjectLink.find(ws, ws)).isEmpty();
    }

    @Test
    void aSettingsOnlyProjectJsonDefersToRepoJson() throws IOException {
        write(".vercel/repo.json", "{\"projects\":[{\"id\":\"prj_crm\",\"directory\":\"apps/crm\",\"orgId\":\"team_a\"}]}");
        write("apps/crm/.vercel/project.json", "{\"settings\":{\"framework\":\"nextjs\"}}");
        assertThat(ProjectLink.find(ws.resolve("apps/crm"), ws).orElseThrow().projectId()).isEqualTo("prj_crm");
    }

    @Test
    void nothingAboveTheWorkspaceIsRead() throws IOException {
        write(".vercel/repo.json", "{\"projects\":[{\"id\":\"prj_x\",\"directory\":\"inner/app\",\"orgId\":\"team_a\"}]}");
        Path inner = ws.resolve("inner");
        Files.createDirectories(inner.resolve("app"));
        assertThat(ProjectLink.find(inner.resolve("app"), inner)).isEmpty();
        assertThat(ProjectLink.find(inner.resolve("app"), ws)).isPresent();
    }

    @Test
    void anUnreadableLinkSaysWhichFile() throws IOException {
        write(".vercel/project.json", "{not json");
        assertThatThrownBy(() -> ProjectLink.find(ws, ws)).isInstanceOf(ProjectLink.LinkException.class)
                .hasMessageContaining(".vercel/project.json cannot be read");
    }
}
