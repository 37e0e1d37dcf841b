package example.proactivecare.async;

import java.io.IOException;
import java.io.Writer;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Writes one operation's answer as compact FHIR JSON faster than HAPI's parser can, for answers too large for it. It
 * is used only when the client asked for plain JSON: no {@code _pretty}, {@code _summary} or {@code _elements}.
 */
public interface JsonAnswerWriter {

    /** Whether this writer can write the answer exactly; when it cannot, HAPI's parser writes it. */
    boolean canWrite(IBaseResource answer);

    void write(IBaseResource answer, Writer out) throws IOException;
}
