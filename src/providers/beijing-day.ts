/**
 * When Tencent's and Alibaba's daily quotas start afresh: the providers count a day in China Standard Time
 * (docs/tencent-api.md#when-a-daily-quota-starts-afresh).
 */
export const BEIJING_MIDNIGHT = 'at midnight Beijing time (UTC+8), 16:00 UTC';
