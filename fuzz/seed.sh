#!/usr/bin/env bash
# Builds fuzz/seeds/<target>/ from the project's real reports and fixtures (and the kept
# regression inputs), so that every run starts from inputs that reach deep into each reader.
# libFuzzer reads the seeds but writes new inputs only to fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf fuzz/seeds
mkdir -p fuzz/seeds/{txt,docx,pdf,html,mht,sheet,number,doc,ofd,xls} fuzz/corpus/{txt,docx,pdf,html,mht,sheet,number,doc,ofd,xls}
cp corpus/*.txt tests/fixtures/seed/*.txt fuzz/seeds/txt/
cp tests/fixtures/seed/*.docx fuzz/seeds/docx/
cp corpus/*.pdf tests/fixtures/seed/*.pdf tests/fixtures/pdf/*.pdf fuzz/seeds/pdf/
cp tests/fixtures/seed/*.html tests/fixtures/html/*.html fuzz/seeds/html/
cp tests/fixtures/seed/*.mht fuzz/seeds/mht/
cp tests/fixtures/seed/*.xlsx tests/fixtures/seed/*.ods fuzz/seeds/sheet/
cp tests/fixtures/seed/*.doc fuzz/seeds/doc/
cp tests/fixtures/seed/*.ofd fuzz/seeds/ofd/
cp tests/fixtures/seed/*.xls fuzz/seeds/xls/
if [ -d tests/fixtures/regress ]; then
    for t in txt docx pdf html mht sheet number doc ofd xls; do
        cp tests/fixtures/regress/"$t"-* fuzz/seeds/"$t"/ 2>/dev/null || true
    done
fi
# Numbers: every distinct cell or short token of the text reports, one per file.
cat corpus/*.txt tests/fixtures/seed/seed.txt | tr '\t|' '\n\n' | sed 's/^ *//;s/ *$//' \
    | awk 'length($0) > 0 && length($0) <= 40' | sort -u | head -n 2000 \
    | { i=0; while IFS= read -r l; do printf '%s' "$l" > "fuzz/seeds/number/$i"; i=$((i+1)); done; }
for t in txt docx pdf html mht sheet number doc ofd xls; do
    echo "$t: $(ls fuzz/seeds/$t | wc -l) seeds"
done
