// Direct Line 3.0's URL prefix: the same at Azure and on the local channel, so the chat page, the Azure
// endpoint setting, the REST routes and the stream all build their paths from this one definition.
export const DIRECT_LINE_PREFIX = '/v3/directline';

/** The local channel's private Bot Connector routes, where the bot's replies arrive. */
export const CONNECTOR_PREFIX = `${DIRECT_LINE_PREFIX}/connector`;
