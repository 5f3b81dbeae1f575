/**
 * The Actions runtime: the Java twin of {@code @actions/core} (actions/toolkit {@code core.ts}, {@code summary.ts},
 * {@code file-command.ts}). A reader who knows core finds its functions here under these names:
 *
 * <table>
 *   <caption>@actions/core and Gantry</caption>
 *   <tr><th>@actions/core</th><th>here</th><th>difference</th></tr>
 *   <tr><td>{@code getInput(name)}</td><td>{@link dev.gantry.common.action.Inputs#string}</td>
 *       <td>none (trimmed, "" when absent); reading an input action.yml does not declare fails at once</td></tr>
 *   <tr><td>{@code getInput(name, {required: true})}</td><td>{@link dev.gantry.common.action.Inputs#required}</td>
 *       <td>same message ("Input required and not supplied: name"), exit 2</td></tr>
 *   <tr><td>{@code getBooleanInput}</td><td>{@link dev.gantry.common.action.Inputs#bool}</td><td>none</td></tr>
 *   <tr><td>{@code getMultilineInput}</td><td>{@link dev.gantry.common.action.Inputs#multiline}</td>
 *       <td><b>lines starting with {@code #} are dropped as comments</b> (core keeps them): our multiline inputs are
 *       lists ({@code images}, {@code envs}, {@code aliases}) where a commented-out line is common</td></tr>
 *   <tr><td>{@code setSecret}</td><td>{@link dev.gantry.common.action.Log#addMask}</td>
 *       <td>also registers the value's JSON-escaped and URL-encoded forms; {@code Inputs#secret} reads and masks</td></tr>
 *   <tr><td>{@code setOutput}</td><td>{@link dev.gantry.common.action.ActionContext#setOutput}</td>
 *       <td>a registered secret in the value is masked (the runner does not mask step outputs)</td></tr>
 *   <tr><td>{@code exportVariable}, {@code saveState}</td><td>{@code ActionContext#exportVariable}, {@code #saveState}</td>
 *       <td>none (heredoc form, a delimiter the value does not contain)</td></tr>
 *   <tr><td>{@code info}, {@code debug}, {@code warning}, {@code error}, {@code notice}</td>
 *       <td>{@link dev.gantry.common.action.Log}</td>
 *       <td>every line is masked and made inert: a line that would be a workflow command is printed inside a
 *       {@code stop-commands} block; control characters are removed</td></tr>
 *   <tr><td>{@code startGroup}/{@code endGroup}/{@code group}</td><td>{@code Log#group}/{@code #endGroup}</td><td>none</td></tr>
 *   <tr><td>{@code summary.addHeading}, {@code addTable}, {@code addDetails}, {@code addCodeBlock},
 *       {@code addList}, {@code addRaw}, {@code write}</td>
 *       <td>{@link dev.gantry.common.action.Summary}: {@code heading}, {@code table}, {@code details}, {@code code},
 *       {@code bullets}, {@code markdown}, {@code write}</td>
 *       <td>Markdown, not HTML; text is escaped unless it is a {@link dev.gantry.common.action.Markdown}; kept under
 *       the 1 MiB limit; masked</td></tr>
 *   <tr><td>{@code setFailed}</td><td>throw {@link dev.gantry.common.action.ActionException}</td>
 *       <td>exit codes 1/2/3 (not only 1), a {@code result} output and a step summary on every exit</td></tr>
 * </table>
 */
package dev.gantry.common.action;
