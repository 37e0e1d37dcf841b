package example.proactivecare.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadPlanTest {

    @TempDir
    Path folder;

    private static final String TWO_ENTRIES =
            "{\"resourceType\":\"Bundle\",\"entry\":[{\"request\":{\"method\":\"PUT\"}},{\"request\" : {}}]}";

    @Nested
    class OneNdjsonFile {

        @Test
        void its_bundles_and_resources_are_counted_from_its_lines() throws Exception {
            // given
            Path file = folder.resolve("bundles.ndjson");
            Files.writeString(file, TWO_ENTRIES + "\n\n" + TWO_ENTRIES + "\n");

            // when
            LoadPlan plan = LoadPlan.of(file);

            // then
            assertThat(plan.totalBundles()).isEqualTo(2);
            assertThat(plan.totalResources()).isEqualTo(4);
            assertThat(plan.unit()).isEqualTo("resources");
        }
    }

    @Nested
    class SyntheaFolder {

        @Test
        void shared_organisations_and_practitioners_go_first_and_progress_counts_files() throws Exception {
            // given
            for (String name : new String[] {
                "Alda_Labadie_1.json", "practitionerInformation1.json", "hospitalInformation1.json", "notes.txt"
            }) {
                Files.writeString(folder.resolve(name), TWO_ENTRIES);
            }

            // when
            LoadPlan plan = LoadPlan.of(folder);

            // then
            assertThat(plan.files())
                    .extracting(LoadPlan.LoadFile::name)
                    .containsExactly(
                            "hospitalInformation1.json", "practitionerInformation1.json", "Alda_Labadie_1.json");
            assertThat(plan.unit()).isEqualTo("files");
            assertThat(plan.totalResources()).isEqualTo(3);
        }
    }

    @Nested
    class Manifest {

        @Test
        void totals_come_from_the_manifest_and_follow_a_selection_of_its_files() throws Exception {
            // given
            Files.writeString(folder.resolve("00-organizations.ndjson"), TWO_ENTRIES + "\n");
            Files.writeString(folder.resolve("practice-A.ndjson"), TWO_ENTRIES + "\n");
            Files.writeString(
                    folder.resolve("manifest.json"),
                    """
                    {"files":[{"file":"00-organizations.ndjson","bundles":1,"resources":2,"inOrder":true},
                              {"file":"practice-A.ndjson","bundles":30,"resources":700}]}
                    """);

            // when
            LoadPlan plan = LoadPlan.of(folder);
            LoadPlan practices = plan.only(f -> !f.inOrder());

            // then
            assertThat(plan.totalResources()).isEqualTo(702);
            assertThat(practices.totalBundles()).isEqualTo(30);
            assertThat(practices.in(folder.resolve("elsewhere")).files().get(0).path())
                    .isEqualTo(folder.resolve("elsewhere").resolve("practice-A.ndjson"));
        }
    }
}
