// The event by which the bot asks the channel to forget a conversation's transcript ("forget me"). The bot
// sends it as a reply, so it reaches only the channel the conversation came from, on that channel's own
// reply route: the local Direct Line drops the conversation's stored activities and shows the event to
// no one; any other channel passes it on to its client, which ignores an event it does not know.
export const FORGET_CONVERSATION_EVENT = 'medicineBot.forgetConversation';
