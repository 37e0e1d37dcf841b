package example.proactivecare.fhir;

import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The servlet mounted at {@code /fhir}: a thin front for HAPI's {@link RestfulServer}, which it builds and initialises
 * only when the web server starts, once the application context is complete.
 *
 * <p>Spring Boot instantiates every servlet bean while it creates the web server, before the bean factory is frozen, and
 * each injection point resolved then walks every bean definition without a cache. Registering HAPI's RestfulServer
 * directly dragged HAPI's whole object graph into that phase: about a third of the main thread's CPU at start-up.
 */
final class FhirServlet extends HttpServlet {

    private final transient Supplier<RestfulServer> serverFactory;
    private transient volatile RestfulServer server;

    FhirServlet(Supplier<RestfulServer> serverFactory) {
        this.serverFactory = serverFactory;
    }

    /** Called by the web server as it starts, after every bean exists: builds and initialises HAPI's server. */
    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        RestfulServer built = serverFactory.get();
        built.init(config);
        server = built;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        server.service(request, response);
    }

    @Override
    public void destroy() {
        if (server != null) {
            server.destroy();
        }
    }
}
