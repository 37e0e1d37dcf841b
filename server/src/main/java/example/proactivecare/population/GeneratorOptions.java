package example.proactivecare.population;

import java.nio.file.Path;
import java.time.LocalDate;

/** What to generate: see {@link GenerateCommand#USAGE}. */
record GeneratorOptions(
        Path out,
        int patients,
        long seed,
        LocalDate start,
        LocalDate end,
        double defectRate,
        int patientsPerBundle,
        int threads) {}
