// TitleGenderMarker: finds advertised job titles in a one-sex form.
//
// A masculine-only title ("Geschäftsführer gesucht", OLG Karlsruhe 17 U
// 99/10) or a feminine-only one ("Sekretärin", "Fachlehrerin Sport (w)", BAG
// 8 AZR 2/19) is an indication of gender discrimination. A title counts as
// marked — and is accepted — when it carries
//  * a gender sign: "Verkäufer*in", "Verkäufer:in", "Verkäufer_in",
//    "Verkäufer/in", "Verkäufer/-in", "Verkäufer(in)", Binnen-I
//    "VerkäuferIn";
//  * the pair form: "Verkäuferin/Verkäufer", "Kaufmann/-frau", "Ingenieurin
//    oder Ingenieur";
//  * a marker in the same sentence: "(m/w/d)" and variants (accepted), or
//    "(m/w)" (reported by its own rule instead);
// or when any other mention of the same title in the ad is marked (the ad is
// read as a whole). Neutral nouns ("Leitung", "Fachkraft", "Kaufleute") are
// not in the title dictionary, and epicene participles ("Angestellte") count
// as feminine only after "eine"/"einer".
//
// Only the advertised position or a required qualification is checked: a
// title in the first line, on a short heading line, after a
// TITLE_CUE_BEFORE ("suchen", "als", "Ausbildung zum") or before a
// TITLE_CUE_AFTER ("gesucht"). "Sie unterstützen den Geschäftsführer" names
// a person, not the job, and is left alone.
#ifndef DIVCHECK_ANALYZERS_TITLE_GENDER_MARKER_H_
#define DIVCHECK_ANALYZERS_TITLE_GENDER_MARKER_H_

#include <string>
#include <vector>

#include "analyzers/analysis.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace divcheck {

// The replacements of a one-sex title written `masc`/`fem` (compound first
// part included): the `preferred` form first, then the neutral nouns, the
// pair form "fem/masc", the gender star "masc*in" (only when fem is masc +
// "in") and "masc (m/w/d)", without repeats. STAR and COLON fall back to
// the pair form when fem is not masc + "in", NEUTRAL when there is no
// neutral noun.
std::vector<std::string> TitleReplacements(
    const std::string& masc, const std::string& fem,
    const google::protobuf::RepeatedPtrField<std::string>& neutral,
    v1::GenderForm preferred);

// Appends one candidate per unmarked advertised title, using the analyzer
// rules "<lang>.gender.title_masculine_only" and
// "<lang>.gender.title_feminine_only" for the texts. Does nothing when the
// language has no such rules or no job titles.
void FindUnmarkedTitles(Analysis* analysis);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_TITLE_GENDER_MARKER_H_
