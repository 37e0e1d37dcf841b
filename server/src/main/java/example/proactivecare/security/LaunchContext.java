package example.proactivecare.security;

import java.io.Serializable;

/**
 * The context a user chose during a SMART standalone launch: the patient picked for {@code launch/patient}. It travels
 * as the details of the user's authentication, which the authorization server keeps with the authorization code, so
 * the token endpoint can put it into the token and its response.
 *
 * @param patient the chosen Patient's id
 */
record LaunchContext(String patient) implements Serializable {}
