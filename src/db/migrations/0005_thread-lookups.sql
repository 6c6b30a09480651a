-- Every ERP sync job asks which other conversations hold its mobile or its ERP record
-- (ThreadStore.threadsWithMobile / threadsLinkedTo): expression indexes on the jsonb fields
-- those look-ups compare, so a job reads a few rows instead of every thread of the team.
-- Whole, not partial: the planner reads an expression's statistics only from a whole index, and
-- without them it guesses a hundred matches and scans every thread to join them.

-- Up Migration
CREATE INDEX threads_by_extracted_mobile ON threads ((data->'extracted'->'mobile'->>'value'));
CREATE INDEX threads_by_erp_ord ON threads ((data->'erp'->>'ord'));
-- A contact's remark number reaches its threads through threads.data->>'contactId'.
CREATE INDEX threads_by_contact ON threads ((data->>'contactId'));
CREATE INDEX contacts_by_wechat_phone ON contacts ((data->>'wechatPhone'));

-- Down Migration
DROP INDEX contacts_by_wechat_phone;
DROP INDEX threads_by_contact;
DROP INDEX threads_by_erp_ord;
DROP INDEX threads_by_extracted_mobile;
