// node check.mjs PORT: posts an HTML ad to divcheckd's /v2/check as a
// LanguageTool client does (annotated text built by annotatedtext-rehype,
// form-encoded) and checks, with JavaScript strings (UTF-16, as every
// LanguageTool client indexes), that each finding points at its words in
// the original HTML and offers replacements to paste. Then the npm
// LanguageTool client language-grammar-api, pointed at divcheckd, lists the
// languages and checks the plain-text ad. Exit 0 when all hold.
import assert from "node:assert/strict";
import { build } from "annotatedtext-rehype";
import LanguageToolClient from "language-grammar-api";

const port = process.argv[2];
const html =
  "<h1>\u{1F600} Verka\u0308ufer gesucht</h1>\n" +
  "<p>Wir sind ein <b>junges</b> Team.</p>\n";

async function check(fields) {
  const res = await fetch(`http://127.0.0.1:${port}/v2/check`, {
    method: "POST",
    body: new URLSearchParams(fields),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

const annotated = build(html);
const answer = await check({
  data: JSON.stringify(annotated),
  language: "de-DE",
  level: "picky",
});
assert.equal(answer.language.code, "de-DE");
const byRule = new Map(answer.matches.map((m) => [m.rule.id, m]));
const title = byRule.get("de.gender.title_masculine_only");
assert.ok(title, "no title finding: " + JSON.stringify(answer.matches));
// "Verka\u0308ufer": an emoji (2 units) before it, a combining mark in it.
assert.equal(html.substr(title.offset, title.length), "Verka\u0308ufer");
assert.ok(title.replacements.length > 0);
for (const r of title.replacements) {
  assert.ok(!/^(Beschreiben|Streichen|Nennen) Sie/.test(r.value), r.value);
}
assert.equal(
  title.context.text.substr(title.context.offset, title.context.length),
  "Verka\u0308ufer",
);
const team = byRule.get("t.de.junges_team");
assert.ok(team, "no 'junges Team' finding");
assert.equal(html.substr(team.offset, team.length), "junges</b> Team");

// The same ad as plain text, through a LanguageTool client library
// (it sends every field in the query string of a POST without a body):
// the same findings, at plain-text offsets.
const client = new LanguageToolClient({
  endpoint: `http://127.0.0.1:${port}/v2`,
});
const languages = await client.languages();
assert.ok(languages.some((l) => l.longCode === "de-DE"), JSON.stringify(languages));
const text = "\u{1F600} Verka\u0308ufer gesucht\nWir sind ein junges Team.\n";
const plain = await client.check({ text, language: "de-DE", level: "picky" });
assert.equal(plain.language.code, "de-DE");
const plainTitle = plain.matches.find(
  (m) => m.rule.id === "de.gender.title_masculine_only",
);
assert.ok(plainTitle, "client: no title finding: " + JSON.stringify(plain));
assert.equal(text.substr(plainTitle.offset, plainTitle.length), "Verka\u0308ufer");
assert.deepEqual(
  plainTitle.replacements.map((r) => r.value),
  title.replacements.map((r) => r.value),
);
const plainTeam = plain.matches.find((m) => m.rule.id === "t.de.junges_team");
assert.ok(plainTeam, "client: no 'junges Team' finding");
assert.equal(text.substr(plainTeam.offset, plainTeam.length), "junges Team");
console.log(
  `ok: ${answer.matches.length} matches at the right places; ` +
    `the client got ${plain.matches.length}`,
);
