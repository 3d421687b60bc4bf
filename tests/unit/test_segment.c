/* Sentence segmentation (lib/segment.c): ICU boundaries checked against the
 * abbreviation tables and the user's list, initials, the added boundaries.
 * The sentences are written for these tests. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "internal.h"
#include "scan16.h"
#include "tramuntana.h"

static tram_model *model;

static void setup(void) { ck_assert_int_eq(tram_model_new_default(&model), 0); }
static void teardown(void) { tram_model_free(model); }

/* The sentences of `text`, joined by " | ". */
static char *sentences(const char *text, int lang, const char *abbrevs) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES | TRAM_OPT_NO_STEM;
  o.abbreviations = abbrevs;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  size_t n, nt;
  const tram_sentence *s = tram_doc_sentences(doc, &n);
  const tram_token *t = tram_doc_tokens(doc, &nt);
  static char out[4096];
  size_t o2 = 0;
  out[0] = 0;
  for (size_t i = 0; i < n; i++) {
    /* Spans are slices of the text and agree with their tokens. */
    ck_assert_uint_eq(s[i].start, t[s[i].token_first].start);
    ck_assert_uint_eq(s[i].end, t[s[i].token_first + s[i].token_count - 1].end);
    o2 += (size_t)snprintf(out + o2, sizeof out - o2, "%s%.*s", i ? " | " : "",
                           (int)(s[i].end - s[i].start), text + s[i].start);
  }
  tram_doc_free(doc);
  tram_analyzer_free(an);
  return out;
}

#define SEG(lang, text, expect)                                                \
  ck_assert_str_eq(sentences(text, lang, NULL), expect)

START_TEST(plain_breaks) {
  SEG(TRAM_LANG_FR, "Il pleut. Nous restons. Et toi ?",
      "Il pleut. | Nous restons. | Et toi ?");
  /* ICU's French suppressions match inside words ("mer."): not used. */
  SEG(TRAM_LANG_FR, "Il faut assumer. Certains partent.",
      "Il faut assumer. | Certains partent.");
  SEG(TRAM_LANG_ES, "Volvió a casa. ¿Por qué? ¡No lo sé!",
      "Volvió a casa. | ¿Por qué? | ¡No lo sé!");
}
END_TEST

START_TEST(abbreviations) {
  SEG(TRAM_LANG_FR, "M. Durand est arrivé. Mme Roux aussi.",
      "M. Durand est arrivé. | Mme Roux aussi.");
  /* Catalan: ICU has no suppressions, the table does the work. */
  SEG(TRAM_LANG_CA,
      "El Sr. Puig i la Dra. Soler han vingut. Van parlar p. ex. del pont.",
      "El Sr. Puig i la Dra. Soler han vingut. | Van parlar p. ex. del "
      "pont.");
  SEG(TRAM_LANG_CA, "Viu als EE. UU. des de fa anys. Treballa al núm. 5.",
      "Viu als EE. UU. des de fa anys. | Treballa al núm. 5.");
  SEG(TRAM_LANG_ES, "Lo dijo el Sr. Gómez. La Sra. Ruiz calló.",
      "Lo dijo el Sr. Gómez. | La Sra. Ruiz calló.");
  /* "etc." ends a sentence before a capital, not before a lower case. */
  SEG(TRAM_LANG_FR, "Pommes, poires, etc. Puis du pain, etc. et du vin.",
      "Pommes, poires, etc. | Puis du pain, etc. et du vin.");
  /* Titles, ranks and "s." (century) before a capital. */
  SEG(TRAM_LANG_ES, "Lo firmó el Ing. Pérez en el año 1990. Nadie lo vio.",
      "Lo firmó el Ing. Pérez en el año 1990. | Nadie lo vio.");
  /* A word in capitals is an acronym, not the abbreviation in lower case
   * ("cf."), unless the table says so ("BM.", "EE."); "At." is the club. */
  SEG(TRAM_LANG_ES, "Ganó el Valencia CF. La policía no intervino.",
      "Ganó el Valencia CF. | La policía no intervino.");
  SEG(TRAM_LANG_ES, "Ganó el BM. Granollers. Amonestó a Mena (At. Madrid). Ya.",
      "Ganó el BM. Granollers. | Amonestó a Mena (At. Madrid). | Ya.");
  /* A single capital is an initial only before a name. */
  SEG(TRAM_LANG_ES, "Se calcula sobre S. Cada valor cuenta.",
      "Se calcula sobre S. | Cada valor cuenta.");
  SEG(TRAM_LANG_ES, "Ganó el BM. Granollers. Luego perdió.",
      "Ganó el BM. Granollers. | Luego perdió.");
  SEG(TRAM_LANG_CA, "Hi va anar l'Excm. Sr. Roca. Va ploure.",
      "Hi va anar l'Excm. Sr. Roca. | Va ploure.");
  SEG(TRAM_LANG_FR, "Le Gal. Martin commande. Il part.",
      "Le Gal. Martin commande. | Il part.");
  /* Ambiguous entries ("vol." is also a word) need a digit or lower case. */
  SEG(TRAM_LANG_FR, "Voir le vol. 3 du recueil. Le vol. Il partit.",
      "Voir le vol. 3 du recueil. | Le vol. | Il partit.");
  /* "s." (siglo, segle) before a Roman numeral; "Gral." before a name. */
  SEG(TRAM_LANG_ES, "Nació en el s. XIX en Madrid. Luego murió.",
      "Nació en el s. XIX en Madrid. | Luego murió.");
  SEG(TRAM_LANG_CA, "Va néixer al s. XIX a Vic. Després va morir.",
      "Va néixer al s. XIX a Vic. | Després va morir.");
  /* ... but a capital "S." stays an initial: "búlgaro S. B. P.". */
  SEG(TRAM_LANG_ES, "Juzgan al búlgaro S. B. P. por el crimen. Se fue.",
      "Juzgan al búlgaro S. B. P. por el crimen. | Se fue.");
  SEG(TRAM_LANG_ES, "La empresa Incopromar S. L. obtuvo la licencia.",
      "La empresa Incopromar S. L. obtuvo la licencia.");
  SEG(TRAM_LANG_CA, "Va parlar amb S. Vives ahir. Després va marxar.",
      "Va parlar amb S. Vives ahir. | Després va marxar.");
  SEG(TRAM_LANG_ES, "Lo dijo el Gral. Pérez ayer. Se fue.",
      "Lo dijo el Gral. Pérez ayer. | Se fue.");
  SEG(TRAM_LANG_CA, "Ho va dir Mons. Vives ahir. Se'n va anar.",
      "Ho va dir Mons. Vives ahir. | Se'n va anar.");
  SEG(TRAM_LANG_FR, "Chez Vve. Durand, rue du Fg. Montmartre. Fin.",
      "Chez Vve. Durand, rue du Fg. Montmartre. | Fin.");
  /* "ms." is mostly milliseconds: it may end a sentence before a capital. */
  SEG(TRAM_LANG_ES, "Se actualiza cada 300 ms. Número de intentos.",
      "Se actualiza cada 300 ms. | Número de intentos.");
  SEG(TRAM_LANG_CA, "Retard en ms. El mòdul no s'ha trobat.",
      "Retard en ms. | El mòdul no s'ha trobat.");
}
END_TEST

START_TEST(initials) {
  SEG(TRAM_LANG_FR, "Le prix revient à J. Martin et à J.A. Howe. Bravo.",
      "Le prix revient à J. Martin et à J.A. Howe. | Bravo.");
  /* A capitalised stop word after a letter starts a sentence. */
  SEG(TRAM_LANG_FR, "On le note A. Il suffit.", "On le note A. | Il suffit.");
  /* Lower-case initials are no name's. */
  SEG(TRAM_LANG_ES, "Llegó a las 10 p.m. Luego se fue.",
      "Llegó a las 10 p.m. | Luego se fue.");
  /* A single-letter stop word with a period is one more initial; a lone
   * "I" after an initial is one too, not after a name (Roman numeral). */
  SEG(TRAM_LANG_ES, "Murió el trabajador M. A. J., de 56 años. Nadie vio.",
      "Murió el trabajador M. A. J., de 56 años. | Nadie vio.");
  SEG(TRAM_LANG_ES, "Juzgan a R. E. Ch. y a E. I. C. por el robo. Se fue.",
      "Juzgan a R. E. Ch. y a E. I. C. por el robo. | Se fue.");
  SEG(TRAM_LANG_ES, "Reinó Juan Carlos I. El rey abdicó.",
      "Reinó Juan Carlos I. | El rey abdicó.");
  SEG(TRAM_LANG_ES, "Lo firmó J. A las diez se fue.",
      "Lo firmó J. | A las diez se fue.");
  /* No sentence starts with ";" (ICU breaks before one after ".)"). */
  SEG(TRAM_LANG_ES, "Suben el Itziar (3a cat.); Agiña (1a cat.). Ganó.",
      "Suben el Itziar (3a cat.); Agiña (1a cat.). | Ganó.");
  SEG(TRAM_LANG_ES, "Sube al Itziar, 3a cat.; Elosua, 2a cat. Ganó.",
      "Sube al Itziar, 3a cat.; Elosua, 2a cat. | Ganó.");
}
END_TEST

START_TEST(user_abbreviations) {
  const char *text = "Visc a la Pça. Catalunya. Fa sol.";
  ck_assert_str_eq(sentences(text, TRAM_LANG_CA, NULL),
                   "Visc a la Pça. | Catalunya. | Fa sol.");
  ck_assert_str_eq(sentences(text, TRAM_LANG_CA, "Pça.\n"),
                   "Visc a la Pça. Catalunya. | Fa sol.");
  /* The caller's abbreviations hold in capitals too. */
  ck_assert_str_eq(sentences("Lo hizo la empresa ACME. La policía.",
                             TRAM_LANG_ES, "Acme.\n"),
                   "Lo hizo la empresa ACME. La policía.");
}
END_TEST

START_TEST(added_breaks) {
  /* Dialogue dashes. */
  SEG(TRAM_LANG_ES, "Se fue sin decir nada. - Ya volveré - dijo.",
      "Se fue sin decir nada. | - Ya volveré - dijo.");
  /* Not after a short dated heading, also after a colon; where a spaced
   * dash opens a list item (French), after one too. */
  SEG(TRAM_LANG_ES, "Fue así. 6 de julio. - Barak gana.",
      "Fue así. | 6 de julio. - Barak gana.");
  SEG(TRAM_LANG_ES,
      "Estos son los hechos desde entonces: 1999 17 de mayo. - Barak gana.",
      "Estos son los hechos desde entonces: 1999 17 de mayo. - Barak gana.");
  SEG(TRAM_LANG_FR, "Paris, 1991. - Jean Roux, Les dessous.",
      "Paris, 1991. | - Jean Roux, Les dessous.");
  /* A dateline keeps its dash too: a place, maybe a date, the agency or
   * the province in brackets; not a sentence that ends with a bracket, nor
   * one that closes a bracket opened before it. */
  SEG(TRAM_LANG_ES,
      "Fue así. Oviedo (EFE). - El portavoz habló. Reus (Tarragona), 23 may "
      "(EFE). - La Federación votó.",
      "Fue así. | Oviedo (EFE). - El portavoz habló. | Reus (Tarragona), 23 "
      "may (EFE). - La Federación votó.");
  SEG(TRAM_LANG_CA, "Santiago de Compostela, 23 maig (EFE). - El govern.",
      "Santiago de Compostela, 23 maig (EFE). - El govern.");
  SEG(TRAM_LANG_ES, "Lo aprobó el PP (PSOE). - No.",
      "Lo aprobó el PP (PSOE). | - No.");
  SEG(TRAM_LANG_ES,
      "Fue al Rayo (y al Betis. Luego Madrid) y Mingo (Eibar). - Otro.",
      "Fue al Rayo (y al Betis. | Luego Madrid) y Mingo (Eibar). | - Otro.");
  /* A number after a sentence end, a heading in capitals. */
  SEG(TRAM_LANG_ES, "Ganaron el partido. 3 goles bastaron.",
      "Ganaron el partido. | 3 goles bastaron.");
  SEG(TRAM_LANG_ES, "EL EQUIPO GANA OTRA VEZ El equipo local ganó.",
      "EL EQUIPO GANA OTRA VEZ | El equipo local ganó.");
  /* Two long words in capitals, not two acronyms. */
  SEG(TRAM_LANG_FR, "DONNEES CLINIQUES Indications thérapeutiques connues.",
      "DONNEES CLINIQUES | Indications thérapeutiques connues.");
  SEG(TRAM_LANG_ES, "Ganó la Copa UEFA FC Barcelona ayer.",
      "Ganó la Copa UEFA FC Barcelona ayer.");
  /* French: ";" (UD GSD and Sequoia), before a lower-case word outside
   * brackets; not in Spanish. */
  SEG(TRAM_LANG_FR, "Il est parti ; Le soir tombait.",
      "Il est parti ; | Le soir tombait.");
  SEG(TRAM_LANG_FR, "Il est parti ; le soir tombait.",
      "Il est parti ; | le soir tombait.");
  SEG(TRAM_LANG_FR, "Une dose (bolus de 0,1 mg ; perfusion de 0,2 mg) suffit.",
      "Une dose (bolus de 0,1 mg ; perfusion de 0,2 mg) suffit.");
  SEG(TRAM_LANG_FR,
      "Président : André Roux ; \" Nous avions espoir \", dit-il.",
      "Président : André Roux ; | \" Nous avions espoir \", dit-il.");
  SEG(TRAM_LANG_ES, "Se fue ; La noche caía.", "Se fue ; La noche caía.");
  /* A capitalised pronoun after a line without a final period. */
  SEG(TRAM_LANG_FR, "Un titre sans point final Il commence ici.",
      "Un titre sans point final | Il commence ici.");
  SEG(TRAM_LANG_FR, "Il est parti pour Paris.", "Il est parti pour Paris.");
  /* A spaced closing quote stays with its sentence. */
  SEG(TRAM_LANG_FR, "Il a dit « c'est fini . » Puis il est parti.",
      "Il a dit « c'est fini . » | Puis il est parti.");
  /* "!" before a lower-case word does not end the sentence. */
  SEG(TRAM_LANG_ES, "Compró Yahoo! con prisas.", "Compró Yahoo! con prisas.");
}
END_TEST

START_TEST(list_dashes) {
  /* A spaced dash after a sentence end opens a list item, whatever follows. */
  SEG(TRAM_LANG_FR,
      "Ne prenez pas ce sirop. - si vous toussez. - 3 fois par jour.",
      "Ne prenez pas ce sirop. | - si vous toussez. | - 3 fois par jour.");
  /* Not a dash run closing an answer in an interview ("? - -."). */
  SEG(TRAM_LANG_ES, "¿Vendrás mañana? - -. Creo que sí.",
      "¿Vendrás mañana? - -. | Creo que sí.");
  /* French list items after a word or ";" (segrules list_dash_break), not
   * an incise closed by a dash before a lower-case word; not in Spanish. */
  SEG(TRAM_LANG_FR, "Effets : nausées - Maux de tête - Douleur dorsale",
      "Effets : nausées | - Maux de tête | - Douleur dorsale");
  SEG(TRAM_LANG_FR, "Membres : le maire ; - Jean Roux, adjoint.",
      "Membres : le maire ; | - Jean Roux, adjoint.");
  SEG(TRAM_LANG_FR, "Prévenez-le : - si vous saignez ; - si vous toussez.",
      "Prévenez-le : | - si vous saignez ; | - si vous toussez.");
  /* An item may start with a number, a bracket, a quote or a note mark;
   * not a range of numbers. */
  SEG(TRAM_LANG_FR, "Voir le Monde, 7 août 2006 - ( en ) Cox, 2006.",
      "Voir le Monde, 7 août 2006 | - ( en ) Cox, 2006.");
  SEG(TRAM_LANG_FR, "Chronologie - 4 janvier 1989 : le juge arrive.",
      "Chronologie | - 4 janvier 1989 : le juge arrive.");
  SEG(TRAM_LANG_FR, "La guerre de 1914 - 1918 a tout changé.",
      "La guerre de 1914 - 1918 a tout changé.");
  /* Nor arithmetic after a short word or a bracket. */
  SEG(TRAM_LANG_FR, "Les valeurs vont de 0 à n - 1 où n est le nombre.",
      "Les valeurs vont de 0 à n - 1 où n est le nombre.");
  SEG(TRAM_LANG_FR, "Le titre perd 33 % en 2012 et - 60 % en 2011.",
      "Le titre perd 33 % en 2012 et - 60 % en 2011.");
  SEG(TRAM_LANG_FR, "Elle renvoie LBound(tableau) - 1 si rien n'est trouvé.",
      "Elle renvoie LBound(tableau) - 1 si rien n'est trouvé.");
  SEG(TRAM_LANG_FR, "Il passa à la littérature - Jules Verne - et au cinéma.",
      "Il passa à la littérature - Jules Verne - et au cinéma.");
  SEG(TRAM_LANG_ES, "Pasó a la literatura - Julio Verne - y al cine.",
      "Pasó a la literatura - Julio Verne - y al cine.");
  SEG(TRAM_LANG_ES, "Sus efectos: náuseas - Dolor de cabeza - Fiebre",
      "Sus efectos: náuseas - Dolor de cabeza - Fiebre");
  /* A dated heading keeps its dash: "3 de mayo. - El equipo". */
  SEG(TRAM_LANG_ES, "Todo empezó así. 3 de mayo. - El equipo gana.",
      "Todo empezó así. | 3 de mayo. - El equipo gana.");
}
END_TEST

START_TEST(lower_case_after_end) {
  /* A period after a longer word (elided too) or a closing bracket ends a
   * sentence before a lower-case word; not after an abbreviation. */
  SEG(TRAM_LANG_FR, "Il y resta une dizaine d'années. à douze ans, il part.",
      "Il y resta une dizaine d'années. | à douze ans, il part.");
  SEG(TRAM_LANG_FR, "Il cite un texte (voir plus haut). puis il part.",
      "Il cite un texte (voir plus haut). | puis il part.");
  SEG(TRAM_LANG_FR, "Il cite un texte, cf. la page trois.",
      "Il cite un texte, cf. la page trois.");
}
END_TEST

START_TEST(headlines) {
  /* A headline in capitals (plurals in brackets, a comma after a long
   * word) before a capitalised word, elided or not, that goes on in lower
   * case; a run of acronyms with commas is no headline. */
  SEG(TRAM_LANG_FR,
      "MISE(S) EN GARDE SPECIALE(S), SI NECESSAIRE L'emploi est "
      "rare.",
      "MISE(S) EN GARDE SPECIALE(S), SI NECESSAIRE | L'emploi est rare.");
  SEG(TRAM_LANG_FR, "Ont voté le RPR, PS, UDF Dupont compris.",
      "Ont voté le RPR, PS, UDF Dupont compris.");
  /* A lower-case word ends the run, whether the scan meets it in the block
   * of the capitals or in one of its own. */
  SEG(TRAM_LANG_ES, "Hoy ESTO ES GRAN Noticia hoy mismo.",
      "Hoy ESTO ES GRAN | Noticia hoy mismo.");
  SEG(TRAM_LANG_ES, "Hoy ESTO ES a GRAN Noticia hoy mismo.",
      "Hoy ESTO ES a GRAN Noticia hoy mismo.");
  SEG(TRAM_LANG_ES, "Hoy ESTO ES una cosa muy rara GRAN Noticia hoy mismo.",
      "Hoy ESTO ES una cosa muy rara GRAN Noticia hoy mismo.");
}
END_TEST

START_TEST(cut_marks) {
  /* An ellipsis in brackets after a sentence end opens the next one. */
  SEG(TRAM_LANG_FR, "Ils jouèrent 42 matchs. (...) Les clubs protestent.",
      "Ils jouèrent 42 matchs. | (...) Les clubs protestent.");
  SEG(TRAM_LANG_ES, "Lo dijo ayer. […] Nadie lo esperaba.",
      "Lo dijo ayer. | […] Nadie lo esperaba.");
}
END_TEST

START_TEST(wrapped_lines) {
  /* A line break is a boundary, unless it wraps a line: after a comma or a
   * stop word, or in a text wrapped at a width (several lines near the
   * longest one) when the next word would not have fitted. */
  SEG(TRAM_LANG_FR, "Effets indésirables\nLes patients vont bien.",
      "Effets indésirables | Les patients vont bien.");
  SEG(TRAM_LANG_FR, "pommes\npoires\ncerises", "pommes | poires | cerises");
  SEG(TRAM_LANG_FR, "Monsieur Jean Dupont\n12 rue des Lilas\nParis",
      "Monsieur Jean Dupont | 12 rue des Lilas | Paris");
  SEG(TRAM_LANG_FR, "Il parle au président de\nLa Poste demain.",
      "Il parle au président de\nLa Poste demain.");
  SEG(TRAM_LANG_FR, "Des pommes, des poires,\ndes cerises.",
      "Des pommes, des poires,\ndes cerises.");
  SEG(TRAM_LANG_FR, "Il a vu M.\nDupont hier.", "Il a vu M.\nDupont hier.");
  /* A line of three words or more cut before a lower-case word goes on,
   * however uneven the widths (text taken from a PDF page); a short line
   * does not (a list). */
  SEG(TRAM_LANG_ES,
      "Este trabajo presenta una herramienta que genera el código a partir "
      "de cada modelo.\nSe presentan las actividades\nprácticas de los "
      "alumnos.",
      "Este trabajo presenta una herramienta que genera el código a partir "
      "de cada modelo. | Se presentan las actividades\nprácticas de los "
      "alumnos.");
  SEG(TRAM_LANG_FR, "pommes rouges\npoires\ncerises",
      "pommes rouges | poires | cerises");
  SEG(TRAM_LANG_FR, "Il a vu M.\n\nDupont hier.", "Il a vu M. | Dupont hier.");
  SEG(TRAM_LANG_FR,
      "Le film a été tourné en 1990 par un cinéaste\n"
      "Jean Dupont, avec des acteurs venus de tout\n"
      "le pays. Il a eu un grand succès auprès du\n"
      "public et de la critique.\n"
      "- Prix du jury\n",
      "Le film a été tourné en 1990 par un cinéaste\n"
      "Jean Dupont, avec des acteurs venus de tout\n"
      "le pays. | Il a eu un grand succès auprès du\n"
      "public et de la critique. | - Prix du jury");
  SEG(TRAM_LANG_ES,
      "El equipo jugó ayer en casa un partido que\n"
      "ganó por dos goles. \"Estamos muy contentos,\n"
      "es un gran premio\", dijo el entrenador tras\n"
      "el partido.",
      "El equipo jugó ayer en casa un partido que\n"
      "ganó por dos goles. | \"Estamos muy contentos,\n"
      "es un gran premio\", dijo el entrenador tras\n"
      "el partido.");
  /* A dash wrapped to the line start after a sentence end is judged as
   * after a space: no boundary after a dated heading. */
  SEG(TRAM_LANG_ES,
      "La Kneset votó ayer varias mociones de censura contra el Gobierno\n"
      "de Barak, que las superó todas ellas sin problemas. 26 de julio.\n"
      "- El líder laborista supera otra moción de censura de la\n"
      "oposición de derechas en el Parlamento.",
      "La Kneset votó ayer varias mociones de censura contra el Gobierno\n"
      "de Barak, que las superó todas ellas sin problemas. | 26 de julio.\n"
      "- El líder laborista supera otra moción de censura de la\n"
      "oposición de derechas en el Parlamento.");
}
END_TEST

START_TEST(roman_numerals) {
  /* An abbreviation that ends a sentence only before a capital goes on
   * before a Roman numeral. */
  SEG(TRAM_LANG_FR, "Voir Études, Vol. XVII, no 3. Puis la suite.",
      "Voir Études, Vol. XVII, no 3. | Puis la suite.");
  SEG(TRAM_LANG_ES, "Lo cita el art. III del texto.",
      "Lo cita el art. III del texto.");
  /* After any other period, an acronym in Roman numeral letters opens a
   * sentence. */
  SEG(TRAM_LANG_CA, "Ho va votar el ple. CDC hi va votar en contra.",
      "Ho va votar el ple. | CDC hi va votar en contra.");
  SEG(TRAM_LANG_ES, "Se reunieron ayer. CC votará en contra.",
      "Se reunieron ayer. | CC votará en contra.");
  SEG(TRAM_LANG_ES, "Trajo libros, discos, etc. DVD no.",
      "Trajo libros, discos, etc. | DVD no.");
}
END_TEST

START_TEST(numbers_after_end) {
  /* A number after a year, a closing quote or a bracket and a period. */
  SEG(TRAM_LANG_FR, "Le club est né en 1998. 25 joueurs y jouent.",
      "Le club est né en 1998. | 25 joueurs y jouent.");
  SEG(TRAM_LANG_ES, "Fue la \"Marcha Verde\". 14 de abril. - Hubo paz.",
      "Fue la \"Marcha Verde\". | 14 de abril. - Hubo paz.");
  SEG(TRAM_LANG_FR, "Il a signé (avec Dupuis). 1975 : il part.",
      "Il a signé (avec Dupuis). | 1975 : il part.");
  /* Short numbers stay: "p. 12. 3" is no sentence end, nor "chap. 2. 4". */
  SEG(TRAM_LANG_FR, "Voir chap. 2. 4 exemples suivent.",
      "Voir chap. 2. 4 exemples suivent.");
}
END_TEST

START_TEST(web_addresses) {
  /* A web address before a capitalised word ends the sentence. */
  SEG(TRAM_LANG_FR, "Le site : http://www.exemple.org Rendez-vous demain.",
      "Le site : http://www.exemple.org | Rendez-vous demain.");
  SEG(TRAM_LANG_ES, "Visite www.ejemplo.es para más datos.",
      "Visite www.ejemplo.es para más datos.");
  /* Only right after the address. */
  SEG(TRAM_LANG_ES, "Ver http://x.org y Madrid es bonito.",
      "Ver http://x.org y Madrid es bonito.");
  SEG(TRAM_LANG_ES, "Ver http://x.org Madrid es bonito.",
      "Ver http://x.org | Madrid es bonito.");
}
END_TEST

START_TEST(no_space_no_break) {
  /* A period with no white space after it is inside a token. */
  SEG(TRAM_LANG_FR, "Voir la photo Gare 10.JPG ici. Fin.",
      "Voir la photo Gare 10.JPG ici. | Fin.");
  SEG(TRAM_LANG_ES, "Usa ASP.NET en casa. Bien.",
      "Usa ASP.NET en casa. | Bien.");
  /* A space left out before a capitalised word. */
  SEG(TRAM_LANG_ES, "Mira la figura 1.El sistema vuela.",
      "Mira la figura 1. | El sistema vuela.");
}
END_TEST

START_TEST(starters) {
  /* A starter after a content word opens a sentence; after a stop word
   * ("est", "et", "de") it begins a name or a title. */
  SEG(TRAM_LANG_FR, "Une soirée au village Si vous venez, appelez.",
      "Une soirée au village | Si vous venez, appelez.");
  SEG(TRAM_LANG_FR, "C'est Au Petit Marché qu'il faut aller.",
      "C'est Au Petit Marché qu'il faut aller.");
  SEG(TRAM_LANG_FR, "Il a lu Le Rouge et Les Misérables hier.",
      "Il a lu Le Rouge et Les Misérables hier.");
  SEG(TRAM_LANG_FR, "Grossesse et allaitement Vous ne devez pas boire.",
      "Grossesse et allaitement | Vous ne devez pas boire.");
  SEG(TRAM_LANG_FR, "Ostéonécrose de la mâchoire Ensuite, tout va bien.",
      "Ostéonécrose de la mâchoire | Ensuite, tout va bien.");
  /* A preposition or a participle only before a lower-case word. */
  SEG(TRAM_LANG_FR, "Un album sort en 2008 Située sur la côte, la ville vit.",
      "Un album sort en 2008 | Située sur la côte, la ville vit.");
  SEG(TRAM_LANG_FR, "Les os de la face Chez les patientes, rien.",
      "Les os de la face | Chez les patientes, rien.");
  SEG(TRAM_LANG_FR, "Il dîne à la paillote Chez Francis le soir.",
      "Il dîne à la paillote Chez Francis le soir.");
  SEG(TRAM_LANG_FR, "Un malaise Hier en début de soirée, il tombe.",
      "Un malaise | Hier en début de soirée, il tombe.");
  SEG(TRAM_LANG_FR, "Un accueil parfait Votre table est prête.",
      "Un accueil parfait | Votre table est prête.");
  SEG(TRAM_LANG_FR, "Il a salué Sa Majesté hier.",
      "Il a salué Sa Majesté hier.");
  /* An elided pronoun. */
  SEG(TRAM_LANG_FR, "Rue des Lilas J'aime ce quartier.",
      "Rue des Lilas | J'aime ce quartier.");
  /* An article before a lower-case word (a heading with no final period
   * before it), but not after a word that announces a title, nor before a
   * capitalised word (a name). */
  SEG(TRAM_LANG_FR, "Grossesse et allaitement La prudence est de mise.",
      "Grossesse et allaitement | La prudence est de mise.");
  SEG(TRAM_LANG_FR, "Effets indésirables L'acide urique monte.",
      "Effets indésirables | L'acide urique monte.");
  SEG(TRAM_LANG_FR, "Il a lu le roman La vie devant soi hier.",
      "Il a lu le roman La vie devant soi hier.");
  SEG(TRAM_LANG_FR, "Il sort l'album Un homme pressé et part.",
      "Il sort l'album Un homme pressé et part.");
  SEG(TRAM_LANG_FR, "Un texte intitulé L'influence d'un livre paraît.",
      "Un texte intitulé L'influence d'un livre paraît.");
  SEG(TRAM_LANG_FR, "Il a lu le journal Le Monde hier.",
      "Il a lu le journal Le Monde hier.");
  SEG(TRAM_LANG_FR, "Il lisait aussi Le Figaro chaque jour.",
      "Il lisait aussi Le Figaro chaque jour.");
  SEG(TRAM_LANG_FR, "Il vit près de La Haye depuis mai.",
      "Il vit près de La Haye depuis mai.");
  /* Labels of buttons and options, and titles opening with any starter. */
  SEG(TRAM_LANG_FR, "Cliquez sur le bouton Tout sélectionner puis fermez.",
      "Cliquez sur le bouton Tout sélectionner puis fermez.");
  SEG(TRAM_LANG_FR, "Désactivez l'option Ne pas déranger ici.",
      "Désactivez l'option Ne pas déranger ici.");
  SEG(TRAM_LANG_FR, "Lisez le guide Comment créer des rapports utiles.",
      "Lisez le guide Comment créer des rapports utiles.");
  SEG(TRAM_LANG_FR, "Gestionnaire de sessions Vous pouvez le régler.",
      "Gestionnaire de sessions | Vous pouvez le régler.");
  SEG(TRAM_LANG_ES, "Aplazan las elecciones La amnistía llega hoy.",
      "Aplazan las elecciones | La amnistía llega hoy.");
  SEG(TRAM_LANG_ES, "Vimos la película La vida es bella ayer.",
      "Vimos la película La vida es bella ayer.");
  SEG(TRAM_LANG_CA, "Ajornen les eleccions L'amnistia arriba avui.",
      "Ajornen les eleccions | L'amnistia arriba avui.");
  SEG(TRAM_LANG_CA, "Llegeix el diari El Punt cada dia.",
      "Llegeix el diari El Punt cada dia.");
  /* A subject pronoun after a colon; not an enumeration. */
  SEG(TRAM_LANG_FR, "Voici les règles suivantes : Il faut venir tôt.",
      "Voici les règles suivantes : | Il faut venir tôt.");
  SEG(TRAM_LANG_FR, "Trois villes : Paris, Lyon et Nice.",
      "Trois villes : Paris, Lyon et Nice.");
  SEG(TRAM_LANG_FR, "Deux dates : Dans un mois, puis en mai.",
      "Deux dates : Dans un mois, puis en mai.");
  /* An article after a heading label of one to three words and a colon
   * (segrules label_article_break: French), not after a longer clause, nor
   * before a name; in Spanish and Catalan the label stays with its text. */
  SEG(TRAM_LANG_FR, "Rien. Insuffisance rénale : La clairance baisse.",
      "Rien. | Insuffisance rénale : | La clairance baisse.");
  SEG(TRAM_LANG_ES, "Nada. Comentario: La selección perdió.",
      "Nada. | Comentario: La selección perdió.");
  SEG(TRAM_LANG_CA, "Res. Nota: El nivell no canvia.",
      "Res. | Nota: El nivell no canvia.");
  SEG(TRAM_LANG_FR, "Il résume ainsi son dossier : Le réseau cible Taïwan.",
      "Il résume ainsi son dossier : Le réseau cible Taïwan.");
  SEG(TRAM_LANG_FR, "Rien. Destination : La Haye et Berlin.",
      "Rien. | Destination : La Haye et Berlin.");
}
END_TEST

START_TEST(quotes) {
  /* A closing quote followed by punctuation: the sentence goes on. */
  SEG(TRAM_LANG_CA, "Va dir: \"Tot va bé... \". Després va marxar.",
      "Va dir: \"Tot va bé... \". | Després va marxar.");
  /* A stray quote with no other one after it closes a lost quotation. */
  SEG(TRAM_LANG_FR, "Quel repas, merci ! \" Le service est rapide.",
      "Quel repas, merci ! \" | Le service est rapide.");
  /* A paired one opens the next sentence. */
  SEG(TRAM_LANG_FR, "Il se tait. \" Je pars \", dit-elle.",
      "Il se tait. | \" Je pars \", dit-elle.");
}
END_TEST

START_TEST(guillemets) {
  /* French (UD GSD): a » closing a quotation opened in an earlier sentence
   * starts the next one; one opened in the same sentence stays. */
  SEG(TRAM_LANG_FR, "« Il part. Il revient. » Puis il dort.",
      "« Il part. | Il revient. | » Puis il dort.");
  SEG(TRAM_LANG_FR, "Il dit « Il revient. » Puis il dort.",
      "Il dit « Il revient. » | Puis il dort.");
  /* Never a lone » at the end of a paragraph. */
  SEG(TRAM_LANG_FR, "« Il part. Il revient. »\n\nFin.",
      "« Il part. | Il revient. » | Fin.");
  SEG(TRAM_LANG_FR, "Il dit : « à demain ! »\n7 mai. Fin.",
      "Il dit : « à demain ! » | 7 mai. | Fin.");
  /* A period after the closing guillemet belongs to the sentence it
   * closes: no sentence "»." of its own. */
  SEG(TRAM_LANG_FR, "Il dit : « Nous ne renoncerons pas ! ». L'assemblée vote.",
      "Il dit : « Nous ne renoncerons pas ! ». | L'assemblée vote.");
  SEG(TRAM_LANG_FR, "« Il part. Il dit non ! ». Puis il dort.",
      "« Il part. | Il dit non ! ». | Puis il dort.");
}
END_TEST

START_TEST(quoted_speech) {
  /* Spanish and Catalan (UD AnCora): quoted speech whose closing quote is
   * glued to its last word stays with the clause that reports it. */
  SEG(TRAM_LANG_ES, "Llegó tarde. \"Estoy cansado. Me voy\", dijo Luis. Fin.",
      "Llegó tarde. | \"Estoy cansado. Me voy\", dijo Luis. | Fin.");
  SEG(TRAM_LANG_CA,
      "Ha dit: \"Hem guanyat. Estem contents\". Després van sopar.",
      "Ha dit: \"Hem guanyat. Estem contents\". | Després van sopar.");
  /* Not a quotation that is a sentence of its own, with no clause that
   * reports it (UD's curators split those in AnCora). */
  SEG(TRAM_LANG_CA, "\"Hem guanyat. Estem contents\". Després van sopar.",
      "\"Hem guanyat. | Estem contents\". | Després van sopar.");
  /* A spaced closing quote (a detokenised text) does not count. */
  SEG(TRAM_LANG_ES, "\"Estoy cansado. Me voy \", dijo Luis.",
      "\"Estoy cansado. | Me voy \", dijo Luis.");
  /* French splits quoted speech. */
  SEG(TRAM_LANG_FR, "\"Je suis las. Je pars\", dit-il.",
      "\"Je suis las. | Je pars\", dit-il.");
}
END_TEST

/* ASCII quotes are paired within QUOTE_WINDOW (4000) units before a
 * boundary; segment.c keeps their positions in a ring of 4096, and a full
 * ring drops its oldest. 4201 quotes, then speech whose boundary sees the
 * last 3972 of them and its own opening quote: odd, so a quotation opened
 * there stays whole. Counting them all (or a ring that drops none) gives
 * an even count and a break after "cansado.". */
START_TEST(quote_window) {
  static char text[8192];
  size_t n = 0;
  for (int i = 0; i < 4201; i++)
    text[n++] = '"';
  const char *tail = " Luis dijo: \"Estoy cansado. Me voy\", y se fue.";
  memcpy(text + n, tail, strlen(tail) + 1);
  tram_options o;
  tram_options_init(&o);
  o.lang = TRAM_LANG_ES;
  o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES | TRAM_OPT_NO_STEM;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  size_t ns;
  tram_doc_sentences(doc, &ns);
  ck_assert_uint_eq(ns, 1);
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
END_TEST

START_TEST(brackets) {
  /* "?" then a bracket and a comma: one sentence. */
  SEG(TRAM_LANG_CA, "Parla de la ciutat, ¿un somni? (CCCB), on ho explica. Fi.",
      "Parla de la ciutat, ¿un somni? (CCCB), on ho explica. | Fi.");
  SEG(TRAM_LANG_ES, "¿Vienes? (Ana) No lo sé.", "¿Vienes? | (Ana) No lo sé.");
  /* Initials before a bracket. */
  SEG(TRAM_LANG_FR, "La firme R.B. (Rossi Bianchi) ferme. Fin.",
      "La firme R.B. (Rossi Bianchi) ferme. | Fin.");
}
END_TEST

START_TEST(line_breaks) {
  SEG(TRAM_LANG_CA, "Títol\n\nEl text comença aquí.",
      "Títol | El text comença aquí.");
}
END_TEST

/* tram__markscan_next as its comment in lib/internal.h states it, one
 * unit at a time (white space before i as the segmenter's: ASCII and ICU's
 * White_Space, U+FEFF, U+200B). */
static bool ref_stop(UChar c) {
  return c == '.' || c == '!' || c == '?' || c == ';' || c < 0x20 ||
         c == 0x85 || c == 0xA0 ||
         (c >= 0x1600 && !(c >= 0x2010 && c <= 0x2025));
}

static bool ref_counts(UChar c) {
  if (c < 0x80)
    return (c >= 'A' && c <= 'Z') || c == '-' || c == 'h' || c == 'w';
  return c >= 0x100 || u_isupper(c);
}

static int32_t ref_next_mark(const UChar *u, int32_t s, int32_t i, int32_t lim,
                             bool *reset) {
  bool prev = i == s || u[i - 1] == ' ' ||
              (u[i - 1] >= '\t' && u[i - 1] <= '\r') || u[i - 1] == 0 ||
              u_isUWhiteSpace(u[i - 1]) || u[i - 1] == 0xFEFF ||
              u[i - 1] == 0x200B;
  for (; i < lim; i++) {
    if (ref_stop(u[i]))
      return i;
    bool space = u[i] == ' ';
    if (prev && !space) {
      if (ref_counts(u[i]))
        return i;
      *reset = true;
    }
    prev = space;
  }
  return lim;
}

/* Fills u[0..n) with lower-case words and, in 1/2, 1/4, 1/8 or 1/16 of
 * the units (rand() picks), units of odd[]. */
static void random_units(UChar *u, int32_t n, const UChar *odd, size_t n_odd) {
  static const char plain[] = "abcdefgijklmnopqrstuvxyz  ";
  int odds = rand() % 4;
  for (int32_t k = 0; k < n; k++)
    u[k] = rand() % (2 << odds) == 0
               ? odd[rand() % (int)n_odd]
               : (UChar)plain[rand() % (int)(sizeof plain - 1)];
}

/* The scan's answer (m1, r1) against ref_next_mark's (m2, r2). */
static void same_mark(int round, int32_t n, int32_t s, int32_t i, int32_t lim,
                      int32_t e, int32_t m1, bool r1, int32_t m2, bool r2) {
  if (m1 != m2 || r1 != r2)
    ck_abort_msg("round %d (n %d, s %d, i %d, lim %d, e %d): %d %d / %d %d",
                 round, n, s, i, lim, e, m1, r1, m2, r2);
}

START_TEST(scan) {
  /* Every class and every edge of a range the vector scan tests, mixed
   * with runs of lower-case words so that blocks of sixteen units hold
   * none, one or several of them at every offset. */
  static const UChar odd[] = {
      0,      1,      '\t',   '\n',   '\r',   0x1F,   ' ',    '!',    '.',
      ';',    '?',    ',',    '-',    '0',    '@',    'A',    'Z',    '[',
      '`',    'a',    'g',    'h',    'i',    'w',    'z',    '{',    0x7F,
      0x80,   0x85,   0xA0,   0xBF,   0xC0,   0xC9,   0xD7,   0xDE,   0xDF,
      0xE9,   0xFF,   0x100,  0x101,  0x1FF,  0x15FF, 0x1600, 0x1680, 0x2000,
      0x200B, 0x200F, 0x2010, 0x2013, 0x2019, 0x2025, 0x2026, 0x2028, 0x202F,
      0x3000, 0xD800, 0xDC00, 0xFEFF, 0xFFFF};
  srand(7);
  UChar u[96];
  for (int round = 0; round < 20000; round++) {
    int32_t n = 1 + rand() % 96;
    random_units(u, n, odd, sizeof odd / sizeof *odd);
    int32_t s = rand() % n, e = s + rand() % (n - s + 1);
    for (int32_t i = s; i <= e; i++) {
      int32_t lim = i + rand() % (e - i + 1);
      bool r1 = false, r2 = false;
      /* Readable up to the sentence end, or to the text's end as the
       * segmenter has it (the vector steps then read past lim). */
      tram_markscan m;
      tram__markscan_init(&m, u, s, lim, i % 2 ? e : n);
      int32_t m1 = tram__markscan_next(&m, i, &r1);
      int32_t m2 = ref_next_mark(u, s, i, lim, &r2);
      same_mark(round, n, s, i, lim, e, m1, r1, m2, r2);
    }
  }
}
END_TEST

/* tram__markscan_next as extra_break calls it, from one unit past each
 * answer (the kept block's masks), and now and then from further on or
 * from the same place again (the block is read afresh): each answer as
 * ref_next_mark's. */
START_TEST(markscan) {
  static const UChar odd[] = {'\t',   '\n',   ' ',    '!',    '.',    ';',
                              '?',    ',',    '-',    'A',    'Z',    'h',
                              'w',    0x85,   0xA0,   0xC0,   0xD7,   0xDF,
                              0x100,  0x1680, 0x2000, 0x200B, 0x2013, 0x2019,
                              0x2026, 0x2028, 0x3000, 0xFEFF};
  srand(13);
  UChar u[120];
  for (int round = 0; round < 20000; round++) {
    int32_t n = 1 + rand() % 120;
    random_units(u, n, odd, sizeof odd / sizeof *odd);
    int32_t s = rand() % n, e = s + rand() % (n - s + 1);
    int32_t lim = s + rand() % (e - s + 1);
    tram_markscan m;
    tram__markscan_init(&m, u, s, lim, rand() % 2 ? e : n);
    for (int32_t i = s; i < lim;) {
      bool r1 = false, r2 = false;
      int32_t m1 = tram__markscan_next(&m, i, &r1);
      int32_t m2 = ref_next_mark(u, s, i, lim, &r2);
      same_mark(round, n, s, i, lim, e, m1, r1, m2, r2);
      int step = rand() % 8;
      i = step == 0 ? i : step == 1 ? m1 + 1 + rand() % 4 : m1 + 1;
    }
  }
}
END_TEST

START_TEST(skip16) {
  /* tram__skip16 never steps over a unit it looks for, and stops only at
   * one or where fewer than sixteen units remain. */
  static const UChar units[] = {'a',    ' ',    '"',    '\n',   '\r',   0x0122,
                                0x0A22, 0x1FFF, 0x2000, 0x200F, 0x2010, 0x2019,
                                0x2027, 0x2028, 0x2029, 0x2030, 0x3000, 0xFFFF};
  srand(11);
  UChar u[80];
  for (int round = 0; round < 20000; round++) {
    int32_t n = rand() % 80;
    int sparse = 1 + rand() % 40;
    for (int32_t k = 0; k < n; k++)
      u[k] = rand() % sparse
                 ? 'a'
                 : units[rand() % (int)(sizeof units / sizeof *units)];
    int32_t i = n ? rand() % n : 0;
    bool high = rand() % 2;
    int a = rand() % 2 ? '"' : '\n', b = rand() % 2 ? '\r' : a;
    int32_t p = i;
    while (p < n &&
           !(u[p] == a || u[p] == b ||
             (high && u[p] >= 0x2000 && !(u[p] >= 0x2010 && u[p] <= 0x2027))))
      p++;
    int32_t r = tram__skip16(u, i, n, a, b, high);
#if defined(__SSE2__)
    ck_assert_msg(r == p || r + 16 > n, "round %d: %d, %d", round, r, p);
    ck_assert_msg(r <= p, "round %d: %d, %d", round, r, p);
#else
    ck_assert_int_eq(r, i);
#endif
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("segment");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, plain_breaks);
  tcase_add_test(tc, abbreviations);
  tcase_add_test(tc, initials);
  tcase_add_test(tc, user_abbreviations);
  tcase_add_test(tc, added_breaks);
  tcase_add_test(tc, list_dashes);
  tcase_add_test(tc, numbers_after_end);
  tcase_add_test(tc, no_space_no_break);
  tcase_add_test(tc, web_addresses);
  tcase_add_test(tc, starters);
  tcase_add_test(tc, headlines);
  tcase_add_test(tc, lower_case_after_end);
  tcase_add_test(tc, roman_numerals);
  tcase_add_test(tc, cut_marks);
  tcase_add_test(tc, wrapped_lines);
  tcase_add_test(tc, quotes);
  tcase_add_test(tc, guillemets);
  tcase_add_test(tc, quoted_speech);
  tcase_add_test(tc, quote_window);
  tcase_add_test(tc, brackets);
  tcase_add_test(tc, line_breaks);
  tcase_add_test(tc, scan);
  tcase_add_test(tc, markscan);
  tcase_add_test(tc, skip16);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
