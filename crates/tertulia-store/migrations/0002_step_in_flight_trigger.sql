-- tertulia-store, schema version 2.
-- A step marked in flight moves its post from scheduled to publishing, in the same
-- statement, so marking a step is one write.

CREATE TRIGGER step_in_flight_publishes_post
AFTER UPDATE OF state ON job_steps
WHEN json_extract(NEW.state, '$.state') = 'in_flight'
BEGIN
    UPDATE posts SET status = 'publishing', body = json_set(body, '$.status', 'publishing')
    WHERE id = (SELECT post_id FROM jobs WHERE id = NEW.job_id) AND status = 'scheduled';
END;
