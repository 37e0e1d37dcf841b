package example.proactivecare.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresPropertiesTest {

    private static final long GB = 1024L * 1024 * 1024;

    @Nested
    class SharedBuffers {

        @Test
        void areAQuarterOfTheMachinesMemory() {
            assertThat(EmbeddedPostgresProperties.sharedBuffersFor(8 * GB)).isEqualTo("2048MB");
        }

        @Test
        void areAtLeast256MbOnASmallMachine() {
            assertThat(EmbeddedPostgresProperties.sharedBuffersFor(GB / 2)).isEqualTo("256MB");
            assertThat(EmbeddedPostgresProperties.sharedBuffersFor(0)).isEqualTo("256MB");
        }

        @Test
        void areAtMost4GbOnALargeMachine() {
            assertThat(EmbeddedPostgresProperties.sharedBuffersFor(64 * GB)).isEqualTo("4096MB");
        }

        @Test
        void keepWhatIsConfigured() {
            // given a setting
            EmbeddedPostgresProperties properties = new EmbeddedPostgresProperties(Path.of("x"), true, " 1GB ");

            // then it is used as it is
            assertThat(properties.sharedBuffers()).isEqualTo("1GB");
        }

        @Test
        void defaultToTheMachinesShareWhenNotConfigured() {
            EmbeddedPostgresProperties properties = new EmbeddedPostgresProperties(null, null, null);

            assertThat(properties.sharedBuffers()).isEqualTo(EmbeddedPostgresProperties.defaultSharedBuffers());
            assertThat(properties.dataDir()).isEqualTo(Path.of("data", "postgres"));
        }
    }
}
