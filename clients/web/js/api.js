// The calls to divcheckd's HTTP/JSON API (docs/API.md), on the server that
// served this page. Errors come as google.rpc.Status JSON; they are thrown
// as ApiError with the HTTP status, the ErrorInfo reason and metadata.

export class ApiError extends Error {
  constructor(status, reason, message, metadata) {
    super(message);
    this.status = status;        // HTTP status; 0 when the server was not reached
    this.reason = reason || '';  // e.g. "TEXT_TOO_LARGE"
    this.metadata = metadata || {};
  }
}

// The ErrorInfo of a google.rpc.Status body, or {} when there is none.
function errorInfo(body) {
  for (const d of (body && body.details) || []) {
    if (String(d['@type'] || '').endsWith('google.rpc.ErrorInfo')) return d;
  }
  return {};
}

// A call to the API: the parsed JSON body, or ApiError.
async function call(url, init) {
  let response;
  try {
    response = await fetch(url, { cache: 'no-store', ...init });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', String(e.message || e));
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const info = errorInfo(body);
    throw new ApiError(response.status, info.reason,
                       (body && body.message) || response.statusText, info.metadata);
  }
  return body || {};
}

function postJson(url, request, signal) {
  return call(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
    signal,
  });
}

// POST /v1/scan: the Report of `text` ("" language = detect).
export async function scan(text, languageCode, signal) {
  const body = await postJson('/v1/scan', { text, languageCode }, signal);
  return body.report || {};
}

// GET /v1/rules: every rule for `languageCode` ("" = all) and `dimension`
// ("" = all), all pages. Returns { rules, lexiconVersion }.
export async function listAllRules(languageCode, dimension, signal) {
  const rules = [];
  let token = '';
  let lexiconVersion = '';
  for (let page = 0; page < 100; page++) {
    const q = new URLSearchParams({ page_size: '1000' });
    if (languageCode) q.set('language_code', languageCode);
    if (dimension) q.set('dimension', dimension);
    if (token) q.set('page_token', token);
    const body = await call(`/v1/rules?${q}`, { signal });
    rules.push(...(body.rules || []));
    lexiconVersion = body.lexiconVersion || lexiconVersion;
    token = body.nextPageToken || '';
    if (!token) break;
  }
  return { rules, lexiconVersion };
}

// POST /v1/documents:scan: a file's bytes (base64) read and checked by the
// server. Returns { report, extractedText, detectedFormat }.
export function scanDocument(base64, fileName, languageCode, signal) {
  return postJson('/v1/documents:scan',
                  { content: base64, fileName, options: { languageCode } }, signal);
}

// A call to the JSON API: `method` on `path` with `body` (an object, sent
// as JSON) or none. Returns the parsed answer; throws ApiError.
export async function request(method, path, body, signal) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', String(e.message || e));
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    answer = null;
  }
  if (!response.ok) {
    const info = errorInfo(answer);
    throw new ApiError(response.status, info.reason,
                       (answer && answer.message) || response.statusText, info.metadata);
  }
  return answer || {};
}
