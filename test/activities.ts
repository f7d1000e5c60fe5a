// Activities as a channel posts them to /api/messages, for the HTTP-level tests. deliveryMode
// expectReplies returns the bot's replies in the response body, so no callback server is needed.

/** The sender's id: tests assert it never reaches the logs. */
export const TEST_USER_ID = 'user-secret-id-42';

let counter = 0;

export function channelActivity(
  conversationId: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  counter += 1;
  return {
    type: 'message',
    id: `act-${counter}`,
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:9/never-called',
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId },
    from: { id: TEST_USER_ID, name: 'Patient' },
    recipient: { id: 'bot', name: 'Imnovid info' },
    timestamp: new Date().toISOString(),
    ...fields,
  };
}
