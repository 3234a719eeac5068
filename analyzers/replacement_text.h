// What a replacement (a lexicon entry's `suggestions`, a finding's
// `replacements`) must not be: an instruction to the writer ("Streichen
// Sie die Vorgabe.", "Feld streichen.", "describe the tasks instead") or a
// template with a gap ("mit Erfahrung in …"). Such texts belong in
// `advice`. `divcheck lexicon validate` warns about them (LintLexicons).
//
//   std::string why = ReplacementProblem("Beschreiben Sie die Aufgaben.");
//   // why == "looks like an instruction (imperative) ..."
//
// A heuristic over the words, not a grammar: false for "Sie arbeiten gern
// im Team." and "please send your CV". Pure functions; thread-safe.
#ifndef DIVCHECK_ANALYZERS_REPLACEMENT_TEXT_H_
#define DIVCHECK_ANALYZERS_REPLACEMENT_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace divcheck {

// True when `text` reads as an instruction: a German imperative ("Streichen
// Sie …", "Kirchliche Arbeitgeber: Beschreiben Sie …"), a German
// infinitive instruction ("Feld streichen.", "Stattdessen fragen: …") or an
// English imperative ("describe …", "Drop the field", "use \"they\"").
bool LooksLikeInstruction(absl::string_view text);

// Why `text` cannot be pasted in place of a match as it stands, for a
// lexicon author; empty when nothing is wrong with it.
std::string ReplacementProblem(absl::string_view text);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_REPLACEMENT_TEXT_H_
