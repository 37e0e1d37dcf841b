package example.proactivecare.population;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The medicines of {@code dmd-medicines.tsv}, by slot, with the condition groups each is given for. */
final class MedicineCatalog {

    /** dm+d, the NHS Dictionary of Medicines and Devices: the code system NHS England's terminology server uses. */
    static final String DMD_SYSTEM = "https://dmd.nhs.uk";

    record Medicine(
            int index, Coding coding, int slot, int[] indications, double weight, double unindicated, boolean acute) {}

    private final List<Medicine> medicines;
    private final List<String> slots;

    private MedicineCatalog(List<Medicine> medicines, List<String> slots) {
        this.medicines = List.copyOf(medicines);
        this.slots = List.copyOf(slots);
    }

    List<Medicine> medicines() {
        return medicines;
    }

    int slotCount() {
        return slots.size();
    }

    static MedicineCatalog load(ConditionCatalog conditions) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        List<Medicine> medicines = new ArrayList<>();
        Set<String> codes = new java.util.HashSet<>();
        for (String[] fields : ConditionCatalog.tsv("dmd-medicines.tsv")) {
            if (fields.length != 8) {
                throw new IllegalStateException("dmd-medicines.tsv: 8 columns expected: " + String.join(" | ", fields));
            }
            if (!codes.add(fields[0])) {
                throw new IllegalStateException("dmd-medicines.tsv: code " + fields[0] + " is listed twice");
            }
            int slot = slots.computeIfAbsent(fields[2], s -> slots.size());
            int[] indications = fields[3].equals("-")
                    ? new int[0]
                    : java.util.Arrays.stream(fields[3].split(","))
                            .mapToInt(name -> {
                                ConditionCatalog.Group group = conditions.group(name);
                                if (group == null) {
                                    throw new IllegalStateException("dmd-medicines.tsv: " + fields[1]
                                            + " is indicated for an unknown group " + name);
                                }
                                return group.index();
                            })
                            .toArray();
            medicines.add(new Medicine(
                    medicines.size(),
                    new Coding(DMD_SYSTEM, fields[0], fields[1]),
                    slot,
                    indications,
                    Double.parseDouble(fields[4]),
                    Double.parseDouble(fields[5]),
                    fields[6].equals("yes")));
        }
        return new MedicineCatalog(medicines, new ArrayList<>(slots.keySet()));
    }
}
