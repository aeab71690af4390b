-- set priorities of existing tasks
-- A data migration, written by hand: tasks created before priorities existed got NONE;
-- open ones become MEDIUM and completed ones LOW.

UPDATE tasks SET priority = 'MEDIUM' WHERE priority = 'NONE' AND NOT completed;
UPDATE tasks SET priority = 'LOW' WHERE priority = 'NONE' AND completed;
