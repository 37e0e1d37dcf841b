package example.proactivecare.population;

/** A code as the generator writes it: system, code and (optional) display. */
record Coding(String system, String code, String display) {

    static final String SNOMED = "http://snomed.info/sct";
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
}
