import assert from 'node:assert/strict';
import { cvssIssue, cvssLevel, cvssSeverity, scoreCvss, type CvssScore } from '../../../src/core/risk/cvss';

function scored(vector: string): CvssScore {
  const r = scoreCvss(vector);
  assert.ok(r.ok, `expected ${vector} to score, got: ${r.ok ? '' : r.error}`);
  return r;
}

function error(vector: string): string {
  const r = scoreCvss(vector);
  assert.ok(!r.ok, `expected ${vector} to be rejected, got ${r.ok ? r.baseScore : ''}`);
  return r.error;
}

describe('CVSS scoring', () => {
  describe('CVSS 3.1: FIRST specification examples', () => {
    // FIRST, "CVSS v3.1 Examples" (the same vectors and scores as the v3.0 examples document).
    const examples: [cve: string, vector: string, score: number][] = [
      ['CVE-2013-1937 phpMyAdmin XSS', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
      ['CVE-2013-0375 MySQL stored SQL injection', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
      ['CVE-2014-3566 SSLv3 POODLE', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
      ['CVE-2012-1516 VMware guest to host escape', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
      ['CVE-2009-0783 Apache Tomcat XML parser', 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2],
      ['CVE-2012-0384 Cisco IOS command injection', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
      ['CVE-2015-1098 Apple iWork', 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
      ['CVE-2014-0160 Heartbleed', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
      ['CVE-2014-6271 Shellshock', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
      ['CVE-2008-1447 DNS cache poisoning', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8],
      ['CVE-2014-2005 Sophos disk encryption', 'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
      ['CVE-2010-0467 Joomla directory traversal', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8],
      ['local privilege escalation', 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ];
    for (const [name, vector, score] of examples) {
      it(`${name}: ${score}`, () => {
        const r = scored(vector);
        assert.equal(r.version, '3.1');
        assert.equal(r.baseScore, score);
        assert.equal(r.vector, vector);
      });
    }

    it('applies Roundup at two-decimal ties (7.460004 -> 7.5, where a naive Roundup gives 7.46)', () => {
      assert.equal(scored('CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:N').baseScore, 7.5);
    });

    it('gives severity from FIRST\'s rating scale and maps it to a risk level', () => {
      const critical = scored('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
      assert.equal(critical.severity, 'critical');
      assert.equal(cvssLevel(critical), 'critical');
      const medium = scored('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N');
      assert.equal(medium.severity, 'medium');
      assert.equal(cvssLevel(medium), 'medium');
      const low = scored('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N');
      assert.equal(cvssLevel(low), 'low');
      const none = scored('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N');
      assert.equal(none.baseScore, 0);
      assert.equal(none.severity, 'none');
      assert.equal(cvssLevel(none), 'low');
    });

    it('keeps the base score apart from the temporal score of a longer vector, in any metric order', () => {
      const r = scored('CVSS:3.1/E:U/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/RL:O/RC:C');
      assert.equal(r.baseScore, 6.1);
      assert.equal(r.score, 5.3);
      assert.equal(r.severity, 'medium');
    });
  });

  describe('CVSS 3.0', () => {
    it('scores a 3.0 vector', () => {
      const r = scored('CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N');
      assert.equal(r.version, '3.0');
      assert.equal(r.baseScore, 6.1);
    });
  });

  describe('CVSS 4.0', () => {
    it('scores the network/no-interaction/high-impact vector: 9.3 critical', () => {
      const r = scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
      assert.equal(r.version, '4.0');
      assert.equal(r.baseScore, 9.3);
      assert.equal(r.severity, 'critical');
      assert.equal(r.nomenclature, 'CVSS-B');
    });

    it('scores the specification\'s section 7 base example (CVSS-B): 5.1', () => {
      assert.equal(scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N').baseScore, 5.1);
    });

    it('scores an adjacent, high-complexity vector: 5.4', () => {
      assert.equal(scored('CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L').baseScore, 5.4);
    });

    it('rounds an exact x.x5 half up, as the fixed reference calculator does (RedHat cvss-v4-calculator#66): 8.6', () => {
      assert.equal(scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H').baseScore, 8.6);
    });

    it('reports the threat-adjusted score (CVSS-BT) beside the base score', () => {
      const r = scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
      assert.equal(r.baseScore, 9.3);
      assert.equal(r.score, 8.1);
      assert.equal(r.nomenclature, 'CVSS-BT');
      assert.equal(r.severity, 'critical');
    });

    it('names environmental vectors CVSS-BE and ignores metrics set to X', () => {
      assert.equal(scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/MAV:L').nomenclature, 'CVSS-BE');
      assert.equal(scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X').nomenclature, 'CVSS-B');
    });

    it('accepts supplemental metrics, which do not change the score', () => {
      const r = scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:N/AU:Y/U:Red');
      assert.equal(r.baseScore, 9.3);
      assert.equal(r.score, 9.3);
    });

    it('scores no impact at all as 0.0, severity none', () => {
      const r = scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N');
      assert.equal(r.baseScore, 0);
      assert.equal(r.severity, 'none');
    });
  });

  describe('invalid vectors give a message that says what is wrong', () => {
    it('a missing mandatory metric', () => {
      assert.equal(error('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L'), 'the CVSS 3.1 vector lacks the base metric A');
      assert.match(error('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/SC:N'), /lacks the base metrics VA, SI, SA/);
    });

    it('a duplicated metric', () => {
      assert.equal(error('CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), 'metric AV appears twice in the CVSS vector');
      assert.match(error('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:A/E:X'), /metric E appears twice/);
    });

    it('an unknown metric, with a hint for lower case', () => {
      assert.equal(error('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/ZZ:Q'), 'unknown CVSS 3.1 metric ZZ');
      assert.match(error('CVSS:3.1/av:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), /metric names are upper case: AV/);
      // AT exists in 4.0 only
      assert.match(error('CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:R/S:C/C:L/I:L/A:N'), /unknown CVSS 3.1 metric AT/);
    });

    it('a value the metric does not have, listing the allowed ones', () => {
      assert.equal(error('CVSS:3.1/AV:X/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), 'X is not a value of CVSS 3.1 metric AV: use one of N, A, L, P');
      assert.match(error('CVSS:4.0/AV:F/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N'), /F is not a value of CVSS 4.0 metric AV/);
      // S (safety) is only a value of MSI/MSA, never of the base SC
      assert.match(error('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N'), /S is not a value of CVSS 4.0 metric SC/);
    });

    it('a missing or unsupported version prefix', () => {
      assert.match(error('AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), /starts with CVSS:3\.1\/ or CVSS:4\.0\//);
      assert.match(error('AV:N/AC:L/Au:N/C:P/I:P/A:P'), /CVSS 2\.0 vectors are not supported/);
      assert.match(error('CVSS:5.0/AV:N'), /CVSS version 5\.0 is not supported/);
    });

    it('malformed parts, empty strings and stray spaces', () => {
      assert.match(error('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/'), /empty part/);
      assert.match(error('CVSS:3.1/AV:N/AC'), /"AC" is not a metric/);
      assert.match(error('CVSS:3.1/AV:N:X/AC:L'), /"AV:N:X" is not a metric/);
      assert.match(error(''), /empty/);
      assert.match(error(' CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), /spaces/);
    });

    it('CVSS 4.0 metrics out of the specification\'s order', () => {
      assert.match(error('CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), /AV must come before AC/);
    });
  });

  describe('cvssIssue (for risk/invalid-cvss)', () => {
    it('is undefined for a valid vector and the message for an invalid one', () => {
      assert.equal(cvssIssue('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), undefined);
      assert.equal(cvssIssue('CVSS:3.1/AV:N/AC:L'), 'the CVSS 3.1 vector lacks the base metrics PR, UI, S, C, I, A');
    });

    it('gives the same answer on repeated calls (cached results)', () => {
      const v = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
      assert.deepEqual(scoreCvss(v), scoreCvss(v));
    });
  });

  describe('cvssSeverity: FIRST\'s qualitative scale boundaries', () => {
    it('0 none, 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10 critical', () => {
      assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(cvssSeverity),
        ['none', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
    });
  });
});
