#!/bin/sh
# Makes the hall screen's voice clips (public/voice/*.ogg) for halls whose screens have no zh-CN speech voice:
# a chime, the digits 零–九 and 十 百 千 (counter numbers), the letters A–Z as Chinese halls say them, and the
# words of the call template "请{number}号到{counter}号窗口办理". Each clip is 16 kHz mono Ogg Vorbis with its
# silence trimmed, so that src/voice/announce.ts can join them into one call.
#
# Needs Debian's espeak-ng and sox (apt-get install espeak-ng sox libsox-fmt-all). The voice is espeak-ng's
# Mandarin "cmn-latn-pinyin": plain "cmn" reads the dictionary's pinyin as English in espeak-ng 1.51 (号 comes
# out as "h-a-o-four"). The clip names must match CLIP_WORDS in src/voice/announce.ts (a unit test checks).
#
# Usage: apps/counter-display/scripts/make-voice-clips.sh [output folder]
set -eu

OUT=${1:-"$(dirname "$0")/../public/voice"}
VOICE=cmn-latn-pinyin
SPEED=${YIMEN_VOICE_SPEED:-155}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# encode <in.wav> <name>: trim the silence at both ends, 16 kHz mono, loudness normalised, Ogg Vorbis
encode() {
  sox "$1" -r 16000 -c 1 -C 1 "$OUT/$2.ogg" \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse \
    norm -1 pad 0 0.03
}

# say <name> <text>
say() {
  espeak-ng -v "$VOICE" -s "$SPEED" -w "$TMP/$1.wav" "$2"
  encode "$TMP/$1.wav" "$1"
}

# The chime: a two-tone "ding-dong" (E5 then C5) with a bell's decay, about 1.2 s.
sox -n -r 16000 -c 1 "$TMP/ding.wav" synth 0.5 sine 659.25 sine 1318.5 remix - fade q 0.005 0.5 0.45 vol 0.6
sox -n -r 16000 -c 1 "$TMP/dong.wav" synth 0.7 sine 523.25 sine 1046.5 remix - fade q 0.005 0.7 0.65 vol 0.6
sox "$TMP/ding.wav" "$TMP/dong.wav" -r 16000 -c 1 -C 1 "$OUT/chime.ogg" norm -3

say qing 请
say hao 号
say dao 到
say qianwang 前往
say chuangkou 窗口
say banli 办理
say chuangkou-banli 窗口办理

i=0
for d in 零 一 二 三 四 五 六 七 八 九; do
  say "d$i" "$d"
  i=$((i + 1))
done
say shi 十
say bai 百
say qian 千

for l in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
  say "letter-$(echo "$l" | tr 'A-Z' 'a-z')" "$l"
done

echo "voice clips in $OUT: $(ls "$OUT" | wc -l) files, $(du -sh "$OUT" | cut -f1)"
