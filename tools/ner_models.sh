#!/bin/sh
# Rebuilds the embedded NER weights data/models/ner-{ca,es,fr}.bin from the
# corpora in ../shared/data/ner (see data/models/ner.md for the licences).
#   sh tools/ner_models.sh BUILD_DIR
# Needs the Debian packages apertium, apertium-spa-cat and apertium-fra-cat
# for the machine-translated Spanish and French training sets. A few
# seconds per model on one core.
set -e
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${TRAM_SHARED_DIR:-$ROOT/../shared}/data/ner
T=${TMPDIR:-/tmp}/tram-ner-train
mkdir -p "$T"
CA="$D/ca_ancora_ud_derived/dev.conll"
UDES=${TRAM_SHARED_DIR:-$ROOT/../shared}/data/ud/UD_Spanish-AnCora/es_ancora-ud-dev.conllu
python3 "$ROOT/tools/ner_translate.py" cat-spa "$CA" "$T/ca2es.conll"
python3 "$ROOT/tools/ner_translate.py" cat-fra "$CA" "$T/ca2fr.conll"
# Spanish AnCora dev: the sentences whose proper nouns are all classified
python3 "$ROOT/tools/ner_from_ancora.py" "$UDES" "$T/es_ancora.conll"
python3 "$ROOT/tools/ner_translate.py" spa-cat "$T/es_ancora.conll" "$T/es2ca.conll"
# Word clusters (tools/ner_clusters.c) from unlabelled text of each
# language: the UD dev token text (the training sentences' words), the
# Apertium translations, the langid training prose (Debian documentation
# and UI text; free licences listed in ../shared/data/langid/train/SOURCE.md).
# Never a test split. Catalan: held-out dev F1 73.2 -> 73.7 (ORG 75.8 ->
# 76.6) with them.
S=${TRAM_SHARED_DIR:-$ROOT/../shared}/data
"$B/ner_clusters" --lang ca --out "$T/clusters-ca.tsv" \
  "$S/ud/UD_Catalan-AnCora/ca_ancora-ud-dev.conllu" "$T/es2ca.conll" \
  "$S/langid/train/ca.txt"
# (Spanish clusters learnt the same way lowered CoNLL-2002 dev F1 of the
# shipped Spanish model, 63.8 -> 63.1, so the Spanish model has none.)
# French clusters (Europeana, NewsEye dev, Sequoia, GSD dev, ca->fr, langid
# prose) lowered HIPE-2020 dev F1 (50.2 -> 47.8), so French has none.
CLP="word clusters (tools/ner_clusters.c) learnt from the UD dev token text, the Apertium translations and the langid training prose (Debian documentation, free licences)"
LEX="--cues $ROOT/data/gazetteer/cues.tsv --gazetteer $ROOT/data/gazetteer/gazetteer.tsv --bits 18"
ANC="AnCora NE classes via ca_ancora_ud_derived dev (UD_Catalan-AnCora a37567f; AnCora is CC BY 4.0 upstream since UD v2.9; Taule, Marti, Recasens 2008)"
ANCES="AnCora NE classes of UD_Spanish-AnCora 642d3bc dev, fully classified sentences (tools/ner_from_ancora.py; CC BY 4.0 upstream since UD v2.9)"
# Spanish: Catalan sentences machine-translated + Spanish AnCora dev;
# epochs chosen on CoNLL-2002 Spanish dev (esp.testa; evaluation only,
# never trained on).
# Self-training: a first model labels the other Spanish AnCora dev
# sentences, whose proper-noun spans are gold but unclassified; the final
# model adds them with those classes.
"$B/ner_train" --lang es --out "$T/ner-es-stage1.bin" $LEX --noise 0.05 --epochs 3 \
  --provenance "stage 1" "$T/ca2es.conll" "$T/es_ancora.conll"
python3 "$ROOT/tools/ner_from_ancora.py" --unk "$UDES" "$T/es_unk.conll"
"$B/ner_eval" --lang es --ner "$T/ner-es-stage1.bin" \
  --cues "$ROOT/data/gazetteer/cues.tsv" \
  --gazetteer "$ROOT/data/gazetteer/gazetteer.tsv" --pred "$T/es_unk.pred" \
  "$T/es_unk.conll" > /dev/null
python3 "$ROOT/tools/ner_from_ancora.py" --fill "$T/es_unk.conll" \
  "$T/es_unk.pred" "$T/es_silver.conll"
# The final Spanish model: first-order Viterbi, structured perceptron
# (--viterbi; CoNLL-2002 dev 62.4 -> 63.9 against greedy with history
# noise; epochs 1-14 peak at 13), extended templates (--ext; dev mean of
# shuffle seeds 1-3 63.6 -> 63.9, ORG 65.5 -> 66.7).
"$B/ner_train" --lang es --out "$ROOT/data/models/ner-es.bin" $LEX --viterbi --ext --epochs 13 \
  --provenance "corpora: $ANC, machine-translated ca->es with Apertium apertium-spa-cat 2.2.0; $ANCES; the other UD_Spanish-AnCora dev sentences (gold proper-noun spans, classes from a first model: self-training); licence CC BY 4.0" \
  "$T/ca2es.conll" "$T/es_ancora.conll" "$T/es_silver.conll"
# Catalan: AnCora-derived dev + Spanish AnCora translated es->ca + the
# self-trained Spanish sentences above translated es->ca. Choices by 5-fold
# cross-validation on the Catalan file (folds of blocks 2k..2k+1 of 10,
# --dev "$CA:10:0:2" with the other four folds as training; mean of the
# folds at epoch 6): clusters + silver 70.7 (ORG 74.0), silver without
# clusters 69.6 (73.0), clusters without silver 69.3 (73.2); epochs 1-10
# peak at 6. With --viterbi (first-order Viterbi, structured perceptron):
# 72.1 (ORG 75.1) at epoch 14, flat from 13 (without clusters 72.3, ORG
# 74.5). --ext (extended templates): mean of shuffle seeds 1-3 72.1 ->
# 72.2, ORG 74.5 -> 74.2, so not used.
python3 "$ROOT/tools/ner_translate.py" spa-cat "$T/es_silver.conll" "$T/silver2ca.conll"
# --keep-spans: the library keeps the labeller's ORG spans (no extension
# through the capitalised run, tram__ner_refine): CV 72.0 -> 72.5, ORG
# 73.8 -> 75.2 (ner_eval on the fold models; with --docpass 72.1 -> 72.6,
# ORG 73.9 -> 75.3). Spanish (CoNLL dev 65.5 -> 65.4 with --docpass) and
# French (HIPE dev equal, NewsEye dev 54.3 -> 54.2; the bundled article
# loses "Impact Hub") keep the extension.
"$B/ner_train" --lang ca --out "$ROOT/data/models/ner-ca.bin" $LEX --clusters "$T/clusters-ca.tsv" --viterbi --keep-spans --epochs 14 \
  --provenance "corpora: $ANC; $ANCES, machine-translated es->ca with Apertium apertium-spa-cat 2.2.0; the other UD_Spanish-AnCora dev sentences with self-trained classes (see ner-es), machine-translated es->ca; licence CC BY 4.0; $CLP" \
  "$CA" "$T/es2ca.conll" "$T/silver2ca.conll"
# French: Europeana BnF (blocks 0-8 of 10; block 9 is the dev set: its F1
# is flat over epochs 1-8 and its ORG F1 peaks at 6-7, so 6 epochs are
# kept), NewsEye dev+dev2 (its train split is missing here; we train on its
# dev splits and tune on Europeana instead), Catalan translated to French.
"$B/ner_train" --lang fr --out "$ROOT/data/models/ner-fr.bin" $LEX --epochs 6 \
  --last --dev "$D/fr_europeana_bnf/all.conll:10:9:10" \
  --provenance "corpora: Europeana Newspapers fr_europeana_bnf blocks 0-8 of 10 (CC0 1.0); NewsEye fr dev+dev2 via HIPE-2022 v2.1 (CC BY 4.0, Hamdi et al. 2021, doi:10.5281/zenodo.4573313); $ANC machine-translated ca->fr with Apertium apertium-fra-cat 1.10.0 (CC BY 4.0); licences CC0 1.0 + CC BY 4.0" \
  "$D/fr_europeana_bnf/all.conll:10:0:9" "$D/fr_newseye_hipe2022/dev.conll" \
  "$D/fr_newseye_hipe2022/dev2.conll" "$T/ca2fr.conll"
