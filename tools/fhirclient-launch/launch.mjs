// A SMART standalone launch by fhirclient, SMART's own JavaScript library, against the Proactive Care FHIR Server.
//
//   node launch.mjs <fhir-base-url> <client-id> <username> <password> <patient-id>
//
// The app is fhirclient's Node adapter on a small HTTP server at 127.0.0.1 (a loopback redirect URI, so any port
// will do): /launch calls FHIR.oauth2.authorize() (PKCE required, discovery from .well-known/smart-configuration),
// /callback calls ready() (the code exchanged for a token) and reads the launch patient with the token.
// The user is played by a scripted browser: it follows the redirects, logs in at the server's login form and picks
// the patient in the launch patient picker. Prints what the app got, as JSON; exits 0 when the app read the picked
// patient, 1 otherwise.
import http from "node:http";
import smart from "fhirclient/lib/entry/node.js";

const [fhirBase, clientId, username, password, patientId] = process.argv.slice(2);
if (!patientId) {
  console.error("usage: node launch.mjs <fhir-base-url> <client-id> <username> <password> <patient-id>");
  process.exit(2);
}
const SCOPES = "launch/patient openid fhirUser patient/*.rs";

// fhirclient keeps its state in a storage; one launch at a time here, so one in memory
const state = new Map();
const storage = {
  get: async (key) => state.get(key),
  set: async (key, value) => { state.set(key, value); return value; },
  unset: async (key) => state.delete(key),
};

let finish;
const finished = new Promise((resolve) => { finish = resolve; });

const app = http.createServer(async (request, response) => {
  const path = new URL(request.url, "http://127.0.0.1").pathname;
  try {
    if (path === "/launch") {
      await smart(request, response, storage).authorize({
        iss: fhirBase,
        clientId,
        scope: SCOPES,
        redirectUri: "/callback",
        pkceMode: "required",
      });
    } else if (path === "/callback") {
      const client = await smart(request, response, storage).ready();
      const patient = await client.request(`Patient/${client.patient.id}`);
      const result = {
        patient: client.patient.id,
        patientRead: patient.id,
        fhirUser: client.user.fhirUser,
        scope: client.state.tokenResponse.scope,
      };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(result));
      finish({ ok: patient.id === patientId && client.patient.id === patientId, result });
    } else {
      response.writeHead(404);
      response.end();
    }
  } catch (error) {
    response.writeHead(500);
    response.end(String(error));
    finish({ ok: false, error: String(error && error.stack ? error.stack : error) });
  }
});

// A browser: cookies per host, redirects followed by hand, forms read and sent.
const cookies = new Map();

async function browse(url, options = {}) {
  const target = new URL(url);
  const jar = cookies.get(target.host) || new Map();
  const headers = { accept: "text/html", ...(options.headers || {}) };
  if (jar.size) {
    headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  const response = await fetch(target, { ...options, headers, redirect: "manual" });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  cookies.set(target.host, jar);
  const location = response.headers.get("location");
  return { response, url: target, next: location ? new URL(location, target).toString() : null };
}

function post(url, fields) {
  return browse(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

function hiddenFields(html) {
  const fields = {};
  const input = /<input[^>]*>/g;
  for (const tag of html.match(input) || []) {
    const type = /type="([^"]*)"/.exec(tag);
    const name = /name="([^"]*)"/.exec(tag);
    const value = /value="([^"]*)"/.exec(tag);
    if (type && type[1] === "hidden" && name) {
      fields[decode(name[1])] = decode(value ? value[1] : "");
    }
  }
  return fields;
}

function decode(html) {
  return html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

async function expectRedirect(step, label) {
  if (!step.next) {
    throw new Error(`${label}: expected a redirect, got ${step.response.status} from ${step.url}: `
      + (await step.response.text()).slice(0, 300));
  }
  return step.next;
}

async function user(appUrl) {
  // the app sends the browser to the authorization server
  let next = await expectRedirect(await browse(`${appUrl}/launch`), "app launch");
  // not logged in: the login form
  next = await expectRedirect(await browse(next), "authorize (logged out)");
  const login = await browse(next);
  const loginFields = hiddenFields(await login.response.text());
  next = await expectRedirect(
    await post(new URL("/login", next).toString(), { ...loginFields, username, password }), "login");
  // logged in: the patient picker
  next = await expectRedirect(await browse(next), "authorize (logged in)");
  const picker = await browse(next);
  const pickerPage = await picker.response.text();
  if (!pickerPage.includes(`value="${patientId}"`)) {
    throw new Error(`the patient picker does not offer ${patientId}: ${pickerPage.slice(0, 300)}`);
  }
  const pickerFields = { ...hiddenFields(pickerPage), patient: patientId };
  next = await expectRedirect(await post(new URL(new URL(next).pathname, next).toString(), pickerFields), "pick");
  // the authorization server sends the browser back to the app with a code
  next = await expectRedirect(await browse(next), "authorize (patient picked)");
  if (!next.startsWith(appUrl)) {
    throw new Error(`expected to be sent back to the app, was sent to ${next}`);
  }
  const callback = await browse(next);
  return callback.response.status;
}

const timeout = setTimeout(() => finish({ ok: false, error: "timed out after 60 s" }), 60_000);
app.listen(0, "127.0.0.1", async () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  try {
    await user(appUrl);
  } catch (error) {
    finish({ ok: false, error: String(error && error.stack ? error.stack : error) });
  }
});

const outcome = await finished;
clearTimeout(timeout);
app.close();
console.log(JSON.stringify(outcome));
process.exit(outcome.ok ? 0 : 1);
