-- Every existing ticket gets its own random portal nonce (new tickets get one when inserted).
UPDATE `tickets` SET `portal_nonce` = lower(hex(randomblob(16))) WHERE `portal_nonce` = '';
