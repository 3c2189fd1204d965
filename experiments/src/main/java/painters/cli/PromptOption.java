package painters.cli;

import picocli.CommandLine.Option;

/** {@code --prompt}: a sentence encoder's prompt, for the commands that encode texts (not generate's prompts). */
final class PromptOption {

    @Option(names = "--prompt", paramLabel = "NAME|TEXT", description = "Put a prompt before every text: a name from "
            + "the checkpoint's config_sentence_transformers.json (e5: query, passage), \"none\", or the text itself. "
            + "Default: the checkpoint's default prompt, if any.")
    String text;

    /** Hands the choice to the model option, which applies it when it loads. */
    ModelOption into(ModelOption model) {
        model.prompt = text;
        return model;
    }
}
