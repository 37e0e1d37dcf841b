package example.proactivecare.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuTimeTest {

    @Nested
    class ProcStatLines {

        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        static final String LINE = "4242 (postgres: post) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0";

        @Test
        void user_and_system_time_are_fields_14_and_15_even_when_the_command_name_holds_spaces_and_parentheses() {
            // given a command name like PostgreSQL's backends set
            String line = LINE.replace("(postgres: post)", "(postgres: (idle) x)");

            // when
            long own = CpuTime.ticks(line, false);

            // then
            assertThat(own).isEqualTo(300);
        }

        @Test
        void the_children_waited_for_are_added_only_when_asked() {
            assertThat(CpuTime.ticks(LINE, true)).isEqualTo(310);
        }
    }

    @Nested
    class Samples {

        @Test
        void the_time_of_a_step_is_the_difference_of_two_samples() {
            // given
            CpuTime before = new CpuTime(10.0, 4.0);
            CpuTime after = new CpuTime(70.5, 19.0);

            // when
            CpuTime step = after.since(before);

            // then
            assertThat(step.serverSeconds()).isEqualTo(60.5);
            assertThat(step.postgresSeconds()).isEqualTo(15.0);
            assertThat(step.totalSeconds()).isEqualTo(75.5);
        }

        @Test
        void a_folder_without_a_running_postgresql_gives_no_sample(@TempDir Path folder) {
            assertThat(CpuTime.sample(ProcessHandle.current(), folder)).isEmpty();
        }

        @Test
        void the_postmaster_is_named_by_the_first_line_of_its_pid_file(@TempDir Path folder) throws IOException {
            assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux's /proc");
            // given: this JVM stands in for both the server and the postmaster
            long self = ProcessHandle.current().pid();
            Files.writeString(
                    folder.resolve("postmaster.pid"), self + "\n/var/lib/postgresql/data\n1732000000\n5432\n");

            // when
            var sample = CpuTime.sample(ProcessHandle.current(), folder);

            // then
            assertThat(CpuTime.postmaster(folder)).contains(self);
            assertThat(sample).hasValueSatisfying(cpu -> {
                assertThat(cpu.serverSeconds()).isPositive();
                assertThat(cpu.postgresSeconds()).isPositive();
            });
        }
    }
}
