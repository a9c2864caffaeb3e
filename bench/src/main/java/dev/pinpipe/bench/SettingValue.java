package dev.pinpipe.bench;

import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** For the bench's shell scripts: a setting's value as every process resolves it, so no script repeats a default. */
@Command(name = "setting-value", mixinStandardHelpOptions = true,
        description = "Prints the value of each named setting of the catalogue (docs/configuration.md), one a line: "
                + "the variable when set, else its default resolved against the environment.")
public final class SettingValue implements Callable<Integer> {

    @Parameters(paramLabel = "VARIABLE", arity = "1..*", description = "variables of the catalogue (docs/configuration.md)")
    List<String> variables;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SettingValue()).execute(args));
    }

    @Override
    public Integer call() {
        for (String variable : variables) {
            Setting setting;
            try {
                setting = Settings.named(variable);
            } catch (IllegalArgumentException unknown) {
                throw new ParameterException(spec.commandLine(), unknown.getMessage());
            }
            if (setting.secret()) {
                throw new ParameterException(spec.commandLine(), variable + " is a secret: never printed");
            }
            System.out.println(setting.value(System::getenv));
        }
        return 0;
    }
}
