// Every string the widget shows, in one place, so a publisher can translate it.

export const strings = {
  heading: "Comments",
  count: { zero: "No comments yet", one: "1 comment", other: "{n} comments" },
  sortLabel: "Sort by",
  sorts: {
    newest: "Newest first",
    oldest: "Oldest first",
    reactions: "Most recommended",
    replies: "Most replies",
  },
  loading: "Loading comments…",
  loadFailed: "The comments could not be loaded. Check your connection and try again.",
  retry: "Try again",
  empty: "No one has commented yet.",
  emptyCanPost: "No one has commented yet. Start the conversation.",
  loadMore: "Load more comments",
  loadMoreReplies: { one: "Show 1 more reply", other: "Show {n} more replies" },
  loadMoreRepliesPlain: "Show more replies",
  loadingMore: "Loading…",
  inReplyTo: "In reply to {name}",
  anonymous: "A reader",
  you: "you",
  edited: "edited",
  editedByModerator: "Edited by a moderator",
  awaitingReview: "Awaiting review",
  heldTitle: "This comment is hidden while a moderator reviews it.",
  awaitingReviewHelp: "Only you can see this until a moderator has looked at it.",
  removedTitle: "This comment was removed.",
  deletedTitle: "This comment was deleted by its author.",
  reply: "Reply",
  replyTo: "Reply to {name}",
  recommend: "Recommend",
  recommendCount: { zero: "No recommendations", one: "1 recommendation", other: "{n} recommendations" },
  recommendLabel: "Recommend this comment by {name}",
  edit: "Edit",
  del: "Delete",
  report: "Report this comment",
  reportLabel: "Report this comment by {name}",
  reported: "Reported",
  confirmDelete: "Delete this comment? Replies to it will stay.",
  confirmDeleteYes: "Delete",
  confirmDeleteNo: "Keep it",
  save: "Save changes",
  cancel: "Cancel",
  editLabel: "Edit your comment",
  composerLabel: "Join the discussion",
  replyLabel: "Your reply to {name}",
  placeholder: "Add to the debate…",
  post: "Post comment",
  postReply: "Post reply",
  posting: "Posting…",
  counter: "{n} / {max}",
  counterLeft: { one: "1 character left", other: "{n} characters left" },
  counterOver: { one: "1 character over the limit", other: "{n} characters over the limit" },
  liability:
    "You answer personally for what you post here, as you would for a letter to the editor. " +
    "Please read our",
  rulesLink: "community rules",
  newTab: "(opens in a new tab)",
  acceptRules: "I accept the community rules",
  acceptRulesNeeded: "Tick the box to accept the community rules before posting.",
  emptyBody: "Write something before posting.",
  tooLong: "Your comment is {n} characters over the limit.",
  signedInAs: "Signed in as {name}",
  signOut: "Sign out",
  gateTitle: "Commenting is for subscribers",
  gateBody:
    "Anyone can read the discussion. Taking part is for subscribers: people with a stake in " +
    "our journalism who sign their words, which keeps the debate informed and free of abuse.",
  gateSignedIn: "You are signed in as {name}, but your account does not include a subscription.",
  gateLapsedTitle: "Your subscription has ended",
  gateLapsedBody:
    "Thank you for having supported our journalism. Renew your subscription to rejoin the " +
    "discussion; you can still read every comment.",
  subscribe: "Subscribe",
  renew: "Renew your subscription",
  signIn: "Sign in",
  signInTitle: "Sign in to comment",
  email: "Email",
  password: "Password",
  signInSubmit: "Sign in",
  signingIn: "Signing in…",
  suspended: "Your account cannot post at the moment. You can still read the discussion.",
  banned: "Your account can no longer post on this site.",
  closed: "Comments are closed on this story.",
  posted: "Your comment is published.",
  postedHeld: "Your comment was sent. It will appear once a moderator has reviewed it.",
  replyPosted: "Your reply is published.",
  editSaved: "Your changes are saved.",
  deleted: "Your comment was deleted.",
  newComments: { one: "1 new comment", other: "{n} new comments" },
  showNew: { one: "Show 1 new comment", other: "Show {n} new comments" },
  genericError: "Something went wrong. Please try again.",
  networkError: "We could not reach the comments service. Check your connection and try again.",
  reportTitle: "Report this comment",
  reportIntro: "Tell us what is wrong. A moderator will review the comment against our rules.",
  reportReasons: {
    abusive: "Abusive or harassing",
    off_topic: "Off-topic",
    untrue: "Untrue or misleading",
    spam: "Spam",
    other: "Something else",
  },
  reportDetail: "What is the problem? (optional)",
  reportDetailRequired: "What is the problem?",
  reportDetailMissing: "Describe the problem in a few words.",
  reportChoose: "Choose a reason.",
  reportSend: "Send report",
  reportSending: "Sending…",
  reportThanks: "Thanks — a moderator will look at this.",
  reportAlreadyDecided: "A moderator has already decided on this comment after your report. You will find the outcome in your notices.",
  noticeLink: "Report to the newsroom",
  noticeLinkLabel: "Report the comment by {name} to the newsroom",
  noticeTitle: "Report to the newsroom",
  noticeIntro: "Anyone can tell us about a comment that is illegal, defamatory, invades privacy or infringes copyright. You do not need an account. We send you a receipt and our decision by email.",
  noticeReason: "Reason",
  noticeReasons: {
    illegal: "Illegal content",
    defamation: "Defamation",
    privacy: "Privacy",
    copyright: "Copyright",
    other: "Something else",
  },
  noticeExplanation: "Why is this comment a problem? Please be precise.",
  noticeName: "Your name (optional)",
  noticeEmail: "Your email address",
  noticeEmailHint: "We send the receipt and the decision here, and use it for nothing else.",
  noticeLocation: "Where is it? (the link to the comment)",
  noticeGoodFaith: "I confirm that the information in this notice is accurate and given in good faith.",
  noticeUk: "Send this as a notice of complaint under the Defamation Act 2013 (England and Wales)",
  noticeUkTitle: "Notice of complaint",
  noticeUkFields: {
    statement: "The statement you complain of",
    meaning: "The meaning you attribute to it",
    why_defamatory: "Why it is defamatory of you",
    inaccurate: "What is factually inaccurate, or opinion not supported by fact",
  },
  noticeUkPosterUnknown: "I do not have enough information about the poster to bring proceedings against them.",
  noticeUkShare: "You may give the poster my name and email address.",
  noticeSend: "Send notice",
  noticeThanks: "Thank you. We received your notice (no. {id}) and have emailed you a receipt.",
  noticeFieldNames: {
    reason: "Reason",
    explanation: "Explanation",
    email: "Email",
    name: "Name",
    good_faith: "Good-faith statement",
    form_token: "Form",
  },
  close: "Close",
  notices: "Notices",
  noticesUnread: { one: "1 unread", other: "{n} unread" },
  noticesTitle: "Your notices",
  noticesIntro: "Decisions about your comments and your account, with the reasons and how to contest them.",
  noticesEmpty: "You have no notices.",
  noticeNew: "New",
  noticeRule: "Rule",
  noticeBy: "Decided by",
  noticeHuman: "A moderator (a person)",
  noticeAutomated: "Our automated system",
  noticeWhen: "When",
  noticeComment: "Comment",
  noticeSeeComment: "See it in the thread",
  appealAsk: "Ask for a review",
  appealLabel: "Why should this decision be reviewed?",
  appealSend: "Send request",
  appealEmpty: "Say in a few words why the decision should be reviewed.",
  appealOpen: "Review requested — a moderator who did not take the decision will look at it. The outcome will appear here.",
  appealUpheld: "Reviewed: the decision stands.",
  appealOverturned: "Reviewed: the decision was reversed.",
  warningTitle: "A warning from the moderators",
  warningBody: "Read the warning about your comments and acknowledge it before posting again.",
  warningAck: "I understand",
  warningDone: "Thank you. You can post again.",
  justNow: "just now",
};

/** Fill `{name}` placeholders; pick a plural form when `entry` is an object. */
export function t(entry, vars = {}) {
  let text = entry;
  if (entry && typeof entry === "object") {
    const n = Number(vars.n ?? 0);
    text = n === 0 && entry.zero ? entry.zero : n === 1 ? entry.one : entry.other;
  }
  return String(text).replace(/\{(\w+)\}/g, (_, key) =>
    key in vars ? (typeof vars[key] === "number" ? vars[key].toLocaleString("en") : vars[key]) : `{${key}}`,
  );
}

const rtf = typeof Intl !== "undefined" && Intl.RelativeTimeFormat
  ? new Intl.RelativeTimeFormat("en", { numeric: "auto" })
  : null;
const dateFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });
const fullFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short" });

/** "3 minutes ago" for recent times, a date for older ones. */
export function relativeTime(iso, now = Date.now()) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const secs = Math.round((now - then) / 1000);
  if (secs < 45) return strings.justNow;
  if (!rtf) return dateFmt.format(then);
  const mins = Math.round(secs / 60);
  if (mins < 60) return rtf.format(-mins, "minute");
  const hours = Math.round(mins / 60);
  if (hours < 24) return rtf.format(-hours, "hour");
  const days = Math.round(hours / 24);
  if (days < 7) return rtf.format(-days, "day");
  return dateFmt.format(then);
}

/** The full date and time, for the tooltip. */
export function fullTime(iso) {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? "" : fullFmt.format(then);
}
