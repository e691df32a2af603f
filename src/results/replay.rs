//! `replications.bin` ([`ResultFile::Replay`](super::ResultFile::Replay)),
//! a shard's replay file: every replication's
//! [`ReplicationMetrics`], in order, exactly (floats by their bits).
//!
//! Summaries past [`crate::stats::series::EXACT_VALUES`] values come from
//! sketches that cannot be merged to the bit, so `sscsim merge` does not
//! merge summaries: it replays the shards' replications in global order
//! through the same collectors a single run uses, and so writes the same
//! bytes. The file is written as the replications complete, never held in
//! memory.
//!
//! Layout: the 8 bytes `SSCSIMRP`, the format version as a little-endian
//! `u32`, then per replication a little-endian `u32` length and that many
//! bytes of the replication in `postcard` (serde) form. The SHA-256 of the
//! whole file is computed as it is written and read, for the manifest.

use std::io::{self, BufReader, BufWriter, Read, Write};

use sha2::{Digest, Sha256};

use super::manifest::finish_sha256_hex;
use crate::run::ReplicationMetrics;

/// The first bytes of a replay file.
const MAGIC: &[u8; 8] = b"SSCSIMRP";

/// The layout version; a reader refuses any other. 3 added each agency's
/// share of each strategy's cost (`ReplicationMetrics::agencies`).
const FORMAT_VERSION: u32 = 3;

/// Why a replay file cannot be read. All are fatal for a merge.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file does not start as a replay file does.
    #[error("not an sscsim replay file (it does not start with {:?})", std::str::from_utf8(MAGIC).unwrap_or_default())]
    NotReplay,
    /// A layout this version cannot read.
    #[error(
        "replay format {found}; this sscsim reads format {FORMAT_VERSION}: run the shard again \
         with this sscsim"
    )]
    Version {
        /// The file's format version.
        found: u32,
    },
    /// The file ends inside a replication: a record says it is longer
    /// than what follows it.
    #[error(
        "the file ends inside replication record {record}: record {record} is {length} bytes \
         long, but only {remaining} bytes follow (the file is truncated or was changed)"
    )]
    Truncated {
        /// 0-based position of the record in the file.
        record: u64,
        /// The length the record says it has, in bytes (0 when the file
        /// ends inside the length itself).
        length: u64,
        /// The bytes left in the file after the length.
        remaining: u64,
    },
    /// A record is not a replication.
    #[error("record {record} is not a replication: {source}")]
    Decode {
        /// 0-based position of the record in the file.
        record: u64,
        /// The decoder's error.
        source: postcard::Error,
    },
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Streams replications into a replay file.
pub struct ReplayWriter<W: Write> {
    out: BufWriter<Hashing<W>>,
    record: Vec<u8>,
    replications: u64,
}

impl<W: Write> ReplayWriter<W> {
    /// Starts the file: writes its header.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(out: W) -> io::Result<Self> {
        let mut out = BufWriter::new(Hashing {
            inner: out,
            hasher: Sha256::new(),
        });
        out.write_all(MAGIC)?;
        out.write_all(&FORMAT_VERSION.to_le_bytes())?;
        Ok(ReplayWriter {
            out,
            record: Vec::new(),
            replications: 0,
        })
    }

    /// Appends one replication.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write(&mut self, metrics: &ReplicationMetrics) -> io::Result<()> {
        self.record.clear();
        self.record = postcard::to_extend(metrics, std::mem::take(&mut self.record))
            .map_err(io::Error::other)?;
        let length = u32::try_from(self.record.len()).map_err(io::Error::other)?;
        self.out.write_all(&length.to_le_bytes())?;
        self.out.write_all(&self.record)?;
        self.replications += 1;
        Ok(())
    }

    /// Flushes the file and returns it, with the number of replications
    /// written and the SHA-256 of its bytes (lowercase hex).
    ///
    /// # Errors
    /// When flushing fails.
    pub fn finish(self) -> io::Result<(W, u64, String)> {
        let hashing = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok((
            hashing.inner,
            self.replications,
            finish_sha256_hex(hashing.hasher),
        ))
    }
}

/// Reads the replications of a replay file in order; an iterator of
/// results. Every record's length is checked against the bytes left in the
/// file before anything is allocated for it, so a damaged length cannot
/// make the reader ask for gigabytes.
pub struct ReplayReader<R: Read> {
    input: BufReader<R>,
    hasher: Sha256,
    record: Vec<u8>,
    records: u64,
    /// Bytes of the file not read yet.
    remaining: u64,
    done: bool,
}

/// The SHA-256 of everything `input` yields (lowercase hex), read in
/// blocks: the checksum of a replay file, checked before it is decoded.
///
/// # Errors
/// When reading fails.
pub(crate) fn sha256_hex_of(mut input: impl Read) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut block = vec![0; 1 << 16];
    loop {
        match input.read(&mut block) {
            Ok(0) => return Ok(finish_sha256_hex(hasher)),
            Ok(n) => hasher.update(&block[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

impl<R: Read> ReplayReader<R> {
    /// Opens a replay file of `length` bytes: checks its header.
    ///
    /// # Errors
    /// When it cannot be read, is not a replay file, or is of another
    /// format version.
    pub fn new(input: R, length: u64) -> Result<Self, ReplayError> {
        let mut input = BufReader::new(input);
        let mut header = [0; 12];
        let mut hasher = Sha256::new();
        match input.read_exact(&mut header) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(ReplayError::NotReplay);
            }
            Err(e) => return Err(e.into()),
        }
        hasher.update(header);
        if &header[..8] != MAGIC {
            return Err(ReplayError::NotReplay);
        }
        let version = u32::from_le_bytes(header[8..].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(ReplayError::Version { found: version });
        }
        Ok(ReplayReader {
            input,
            hasher,
            record: Vec::new(),
            records: 0,
            remaining: length.saturating_sub(header.len() as u64),
            done: false,
        })
    }

    /// The SHA-256 of the bytes read so far (lowercase hex): of the whole
    /// file once the iterator has ended.
    pub fn sha256_hex(&self) -> String {
        finish_sha256_hex(self.hasher.clone())
    }

    /// The next record, `None` at the end of the file.
    fn read_record(&mut self) -> Result<Option<ReplicationMetrics>, ReplayError> {
        let record = self.records;
        let mut length = [0; 4];
        let first = self.input.read(&mut length[..1])?;
        if first == 0 {
            return Ok(None);
        }
        let truncated = |length: u64, remaining: u64| ReplayError::Truncated {
            record,
            length,
            remaining,
        };
        let ended = |e: io::Error| match e.kind() {
            io::ErrorKind::UnexpectedEof => truncated(0, 0),
            _ => e.into(),
        };
        self.input.read_exact(&mut length[1..]).map_err(ended)?;
        let after_length = self.remaining.saturating_sub(length.len() as u64);
        let record_length = u64::from(u32::from_le_bytes(length));
        if record_length > after_length {
            return Err(truncated(record_length, after_length));
        }
        self.remaining = after_length - record_length;
        self.record.resize(record_length as usize, 0);
        self.input
            .read_exact(&mut self.record)
            .map_err(|e| match e.kind() {
                io::ErrorKind::UnexpectedEof => truncated(record_length, after_length),
                _ => e.into(),
            })?;
        self.hasher.update(length);
        self.hasher.update(&self.record);
        let metrics = postcard::from_bytes(&self.record)
            .map_err(|source| ReplayError::Decode { record, source })?;
        self.records += 1;
        Ok(Some(metrics))
    }
}

impl<R: Read> Iterator for ReplayReader<R> {
    type Item = Result<ReplicationMetrics, ReplayError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.read_record().transpose();
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Metric, MetricValues, YearValues};
    use crate::results::manifest::sha256_hex;
    use crate::sim::{CentreYear, Decomposition, LineYear};

    /// A replication whose floats include the awkward ones: a missing
    /// value, NaN, −0, subnormals and the extremes.
    fn replication(r: u64) -> ReplicationMetrics {
        let awkward = [
            f64::NAN,
            -0.0,
            f64::MIN_POSITIVE / 3.0,
            f64::MAX,
            -1.0 / 3.0,
        ];
        let mut row =
            MetricValues::from_fn(|m| Some(awkward[m as usize % awkward.len()] * (r as f64 + 1.0)));
        row[Metric::PaybackYearsFromDecision] = None;
        ReplicationMetrics {
            replication: r,
            strategies: vec![row, row],
            decomposition: r.is_multiple_of(2).then_some(Decomposition {
                total_usd: 1.5e7,
                mechanisms_usd: [1.0, 2.0, 3.0, 4.0, 0.1 + 0.2],
                other_usd: -7.25,
            }),
            years: vec![vec![YearValues::from_fn(|f| Some(f as usize as f64 + 1.0)); 3]; 2],
            lines: vec![
                vec![LineYear {
                    fte: 2.5,
                    arrived: 1e4 / 3.0,
                    backlog_transaction_days: f64::MIN_POSITIVE,
                    ..LineYear::default()
                }];
                2
            ],
            centres: vec![
                vec![],
                vec![CentreYear {
                    transactions: 1e5,
                    running_cost_usd: 2e6,
                    fte: 12.5,
                }],
            ],
            inputs: vec![0.1, 0.2, 0.3],
            agencies: vec![vec![1.0 / 3.0, -0.0], vec![f64::MAX, 2.5e6]],
        }
    }

    fn bits(m: &ReplicationMetrics) -> Vec<Option<u64>> {
        let values = m.strategies.iter().flat_map(MetricValues::values);
        values.map(|v| v.map(f64::to_bits)).collect()
    }

    fn written(replications: u64) -> (Vec<u8>, String) {
        let mut w = ReplayWriter::new(Vec::new()).unwrap();
        for r in 0..replications {
            w.write(&replication(r)).unwrap();
        }
        let (bytes, n, sha) = w.finish().unwrap();
        assert_eq!(n, replications);
        (bytes, sha)
    }

    #[test]
    fn replications_come_back_in_order_to_the_bit() {
        let (bytes, _) = written(5);
        let read: Vec<ReplicationMetrics> = ReplayReader::new(bytes.as_slice(), bytes.len() as u64)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(read.len(), 5);
        for (r, m) in read.iter().enumerate() {
            let expected = replication(r as u64);
            assert_eq!(bits(m), bits(&expected));
            assert_eq!(m.decomposition, expected.decomposition);
            assert_eq!(
                (&m.years, &m.centres, &m.inputs),
                (&expected.years, &expected.centres, &expected.inputs)
            );
        }
    }

    #[test]
    fn the_hash_is_that_of_the_file_bytes_both_ways() {
        let (bytes, sha) = written(3);
        assert_eq!(sha, sha256_hex(&bytes));
        let mut reader = ReplayReader::new(bytes.as_slice(), bytes.len() as u64).unwrap();
        for m in reader.by_ref() {
            m.unwrap();
        }
        assert_eq!(reader.sha256_hex(), sha);
    }

    #[test]
    fn a_record_longer_than_the_rest_of_the_file_is_refused_before_it_is_allocated() {
        let (mut bytes, _) = written(2);
        bytes.extend_from_slice(&[0xFF; 4]);
        let results: Vec<_> = ReplayReader::new(bytes.as_slice(), bytes.len() as u64)
            .unwrap()
            .collect();
        assert_eq!(results.len(), 3);
        assert!(matches!(
            results[2],
            Err(ReplayError::Truncated {
                record: 2,
                length: 0xFFFF_FFFF,
                remaining: 0
            })
        ));
    }

    #[test]
    fn the_hash_of_a_reader_is_the_hash_of_its_bytes() {
        let (bytes, sha) = written(3);
        assert_eq!(sha256_hex_of(bytes.as_slice()).unwrap(), sha);
    }

    #[test]
    fn a_truncated_or_foreign_file_is_an_error() {
        let (bytes, _) = written(2);
        let cut = &bytes[..bytes.len() - 3];
        let results: Vec<_> = ReplayReader::new(cut, cut.len() as u64).unwrap().collect();
        assert_eq!(results.len(), 2);
        assert!(matches!(
            results[1],
            Err(ReplayError::Truncated { record: 1, .. })
        ));
        assert!(matches!(
            ReplayReader::new(&b"replication,strategy\n"[..], 21),
            Err(ReplayError::NotReplay)
        ));
        let mut other = bytes.clone();
        other[8] = 9;
        assert!(matches!(
            ReplayReader::new(other.as_slice(), other.len() as u64),
            Err(ReplayError::Version { found: 9 })
        ));
        // A shard written before agencies' costs were kept is refused.
        other[8] = 2;
        let refused = ReplayReader::new(other.as_slice(), other.len() as u64).err();
        assert_eq!(
            refused.map(|e| e.to_string()).as_deref(),
            Some(
                "replay format 2; this sscsim reads format 3: run the shard again with this sscsim"
            )
        );
    }
}
