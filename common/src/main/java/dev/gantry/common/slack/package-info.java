/**
 * Slack messages for the team: every action tells, when it ends, how it ended and what it did, in one Block Kit
 * message through an incoming webhook or the Web API's {@code chat.postMessage}, threading a release's steps
 * together. {@link dev.gantry.common.slack.SlackNotifier} sends, {@link dev.gantry.common.slack.SlackMessage}
 * builds the message from the action's {@link dev.gantry.common.action.Notice}, and
 * {@link dev.gantry.common.slack.Mrkdwn} is the one escaping path for text that goes to Slack.
 */
package dev.gantry.common.slack;
