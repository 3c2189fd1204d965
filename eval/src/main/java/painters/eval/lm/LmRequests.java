package painters.eval.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import painters.model.UserInputException;
import painters.model.tokenizer.TextTokenizer;

/**
 * Turns text requests into token requests exactly as lm-evaluation-harness v0.4 does for HF causal
 * models:
 * <ul>
 *   <li>loglikelihood: trailing spaces of the context move to the continuation; the whole
 *       {@code context + continuation} is encoded and split after the context's own token count
 *       (so merges across the boundary count towards the continuation); an empty context becomes
 *       the prefix token (BOS). No BOS otherwise, unless {@code addBos} (not lm-eval's default for
 *       Llama; some small models need it).</li>
 *   <li>rolling log-likelihood: the text's tokens in windows of {@code maxLength}, the first
 *       conditioned on the prefix token, each later one on the tokens before it in its window
 *       ({@code get_rolling_token_windows} with context_len 1, then {@code make_disjoint_window}).</li>
 *   <li>generation: the context encoded like a loglikelihood context; the output is cut at the first
 *       stop string.</li>
 * </ul>
 */
public final class LmRequests {

    private final TextTokenizer tok;
    private final boolean addBos;

    public LmRequests(TextTokenizer tok, boolean addBos) {
        if (tok.bos() < 0) {
            throw new UserInputException(tok.source() + ": no BOS token to use as the prefix token");
        }
        this.tok = tok;
        this.addBos = addBos;
    }

    /** The token request for continuation given context. */
    public LanguageModel.TokenPair pair(String context, String continuation) {
        if (continuation.isEmpty()) {
            throw new UserInputException("empty continuation (context \"" + abbreviate(context) + "\")");
        }
        int spaces = context.length() - context.stripTrailing().length();
        if (spaces > 0) {
            continuation = context.substring(context.length() - spaces) + continuation;
            context = context.substring(0, context.length() - spaces);
        }
        if (context.isEmpty()) {
            return new LanguageModel.TokenPair(new int[] {tok.bos()}, tok.encode(continuation));
        }
        int[] whole = tok.encode(context + continuation);
        int ctxLen = tok.encode(context).length;
        int[] ctx = Arrays.copyOf(whole, ctxLen);
        int[] cont = Arrays.copyOfRange(whole, ctxLen, whole.length);
        if (cont.length == 0) {
            throw new UserInputException("continuation \"" + continuation + "\" merged into the context's tokens");
        }
        return new LanguageModel.TokenPair(withBos(ctx), cont);
    }

    /** Context tokens for generation. */
    public int[] prompt(String context) {
        return context.isEmpty() ? new int[] {tok.bos()} : withBos(tok.encode(context));
    }

    private int[] withBos(int[] ids) {
        if (!addBos) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = tok.bos();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    /** The disjoint scoring windows of a token list for rolling log-likelihood. */
    public List<LanguageModel.TokenPair> rollingWindows(int[] tokens, int maxLength) {
        List<LanguageModel.TokenPair> out = new ArrayList<>();
        if (tokens.length == 0) {
            return out;
        }
        int first = Math.min(maxLength, tokens.length);
        out.add(new LanguageModel.TokenPair(new int[] {tok.bos()}, Arrays.copyOf(tokens, first)));
        int predicted = first;
        while (predicted < tokens.length) {
            int len = Math.min(tokens.length - predicted, maxLength);
            int end = predicted + len;
            // window input tokens[end-max-1 .. end-1), scored on its last len; the rest is context
            int start = Math.max(0, end - maxLength - 1);
            int[] ctx = Arrays.copyOfRange(tokens, start, end - len);
            out.add(new LanguageModel.TokenPair(ctx, Arrays.copyOfRange(tokens, end - len, end)));
            predicted = end;
        }
        return out;
    }

    /** {@code text} cut before the first of {@code stops} (lm-eval's until). */
    public static String cutAtStop(String text, List<String> stops) {
        int cut = text.length();
        for (String s : stops) {
            int i = text.indexOf(s);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        return text.substring(0, cut);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
