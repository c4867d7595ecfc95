package io.twt.lm.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns a byte-level BPE tokenizer (GPT-2's scheme, as Hugging Face tokenizers' ByteLevel pre-tokenizer and BPE
 * model run it) from a corpus and writes it as a {@code tokenizer.json} that DJL's HuggingFaceTokenizer loads.
 * Every byte has a token, so any text encodes and decodes back exactly. Digits are split one by one before the
 * byte-level step (Llama's and Qwen's {@code Digits} pre-tokenizer), so every number is its digits: a student can
 * then learn arithmetic digit by digit instead of memorising one token per number. Ids: 0 {@code <pad>}, 1 {@code <s>}
 * (added in front by the post-processor, as Llama's tokenizer does), 2 {@code </s>}, then the 256 bytes, then one
 * token per merge, most frequent first.
 */
public final class BpeTrainer {

    public static final String PAD = "<pad>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final int PAD_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    private static final int FIRST_BYTE_ID = 3;

    /** GPT-2's pre-tokenization: contractions, letters, digits, other symbols, whitespace runs. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
    /** What the Digits pre-tokenizer isolates before WORDS sees the rest. */
    private static final Pattern DIGIT = Pattern.compile("\\p{N}");

    private BpeTrainer() {
    }

    /** Learns merges until the vocabulary has maxVocabSize tokens or no pair occurs twice; returns the vocab size. */
    public static int train(Collection<String> corpus, int maxVocabSize, Path tokenizerJson) {
        String[] byteChars = byteToUnicode();
        List<String> vocab = new ArrayList<>(List.of(PAD, BOS, EOS));
        for (String c : byteChars) {
            vocab.add(c);
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < vocab.size(); id++) {
            ids.put(vocab.get(id), id);
        }
        // 1) unique pre-tokenized words and how often they occur, as byte token ids
        Map<String, Integer> wordCounts = new HashMap<>();
        for (String text : corpus) {
            for (String piece : splitDigits(text)) {
                Matcher m = WORDS.matcher(piece);
                while (m.find()) {
                    wordCounts.merge(m.group(), 1, Integer::sum);
                }
            }
        }
        List<int[]> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] symbols = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                symbols[i] = FIRST_BYTE_ID + (bytes[i] & 0xFF);
            }
            words.add(symbols);
            counts.add(e.getValue());
        });
        // 2) pair statistics, with the words each pair occurs in
        Map<Long, Long> pairCounts = new HashMap<>();
        Map<Long, Set<Integer>> pairWords = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            addPairs(words.get(w), counts.get(w), w, pairCounts, pairWords);
        }
        PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        pairCounts.forEach((pair, count) -> queue.add(new long[] {count, pair}));
        // 3) merge the most frequent pair into a new token, again and again
        List<String> merges = new ArrayList<>();
        while (vocab.size() < maxVocabSize && !queue.isEmpty()) {
            long[] top = queue.poll();
            long pair = top[1];
            long current = pairCounts.getOrDefault(pair, 0L);
            if (current != top[0]) {
                if (current > 0) {
                    queue.add(new long[] {current, pair}); // stale entry: requeue with the current count
                }
                continue;
            }
            if (current < 2) {
                break;
            }
            int left = (int) (pair >>> 32);
            int right = (int) pair;
            String joined = vocab.get(left) + vocab.get(right);
            // two merge paths can spell the same token ("ab"+"c", "a"+"bc"): they share its id
            Integer existing = ids.get(joined);
            int merged = existing != null ? existing : vocab.size();
            if (existing == null) {
                vocab.add(joined);
                ids.put(joined, merged);
            }
            merges.add(vocab.get(left) + " " + vocab.get(right));
            Set<Integer> affected = new HashSet<>(pairWords.getOrDefault(pair, Set.of()));
            for (int w : affected) {
                int[] before = words.get(w);
                removePairs(before, counts.get(w), w, pairCounts, pairWords);
                int[] after = mergeWord(before, left, right, merged);
                words.set(w, after);
                for (long changed : addPairs(after, counts.get(w), w, pairCounts, pairWords)) {
                    queue.add(new long[] {pairCounts.get(changed), changed});
                }
            }
        }
        write(tokenizerJson, vocab, merges);
        return vocab.size();
    }

    /** The pieces Hugging Face's {@code Digits(individual_digits=true)} leaves: each digit alone, the text between. */
    static List<String> splitDigits(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher digit = DIGIT.matcher(text);
        int from = 0;
        while (digit.find()) {
            if (digit.start() > from) {
                pieces.add(text.substring(from, digit.start()));
            }
            pieces.add(digit.group());
            from = digit.end();
        }
        if (from < text.length()) {
            pieces.add(text.substring(from));
        }
        return pieces;
    }

    private static int[] mergeWord(int[] word, int left, int right, int merged) {
        int[] out = new int[word.length];
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = word[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static Set<Long> addPairs(int[] word, int count, int w, Map<Long, Long> pairCounts,
                                      Map<Long, Set<Integer>> pairWords) {
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i + 1 < word.length; i++) {
            long pair = ((long) word[i] << 32) | word[i + 1];
            pairCounts.merge(pair, (long) count, Long::sum);
            pairWords.computeIfAbsent(pair, k -> new HashSet<>()).add(w);
            pairs.add(pair);
        }
        return pairs;
    }

    private static void removePairs(int[] word, int count, int w, Map<Long, Long> pairCounts,
                                    Map<Long, Set<Integer>> pairWords) {
        for (int i = 0; i + 1 < word.length; i++) {
            long pair = ((long) word[i] << 32) | word[i + 1];
            pairCounts.merge(pair, (long) -count, Long::sum);
            Set<Integer> in = pairWords.get(pair);
            if (in != null) {
                in.remove(w);
            }
        }
    }

    /** GPT-2's reversible map from bytes to printable characters (space becomes 'Ġ'). */
    static String[] byteToUnicode() {
        String[] map = new String[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = new String(Character.toChars(printable ? b : 256 + extra++));
        }
        return map;
    }

    private static void write(Path file, List<String> vocab, List<String> merges) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < FIRST_BYTE_ID; id++) {
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", vocab.get(id));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        steps.addObject().put("type", "Digits").put("individual_digits", true);
        ObjectNode byteLevel = steps.addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        post.putArray("single").addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        post.withArray("single").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        post.putArray("pair").addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        post.withArray("pair").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        post.withArray("pair").addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = post.putObject("special_tokens").putObject(BOS);
        special.put("id", BOS);
        special.putArray("ids").add(BOS_ID);
        special.putArray("tokens").add(BOS);
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", false);
        decoder.put("trim_offsets", true);
        decoder.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocabNode = model.putObject("vocab");
        for (int id = 0; id < vocab.size(); id++) {
            vocabNode.put(vocab.get(id), id);
        }
        ArrayNode mergeNode = model.putArray("merges");
        merges.forEach(mergeNode::add);
        try {
            Files.writeString(file, json.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
